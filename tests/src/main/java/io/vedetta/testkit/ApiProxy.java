package io.vedetta.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the mock API server, one per agent, that a test can cut: the agent behind it then finds
 * the API server unreachable while every other agent still reaches it (a partitioned node). Cut means what a
 * network partition does: open connections go silent and new ones are accepted and never answered, so the agent's
 * requests hang until its own timeouts, rather than failing fast with a refused connection.
 */
public final class ApiProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean cut;
    private volatile boolean closed;

    public ApiProxy(String targetUrl) {
        java.net.URI uri = java.net.URI.create(targetUrl);
        this.target = new InetSocketAddress(uri.getHost(), uri.getPort());
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acceptor = new Thread(this::accept, "api-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The URL the agent is given as its API server. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** From now on the API server is unreachable through this proxy. */
    public void cut() {
        cut = true;
    }

    /** Reachable again; connections made while cut stay dead, as they would after a partition. */
    public void restore() {
        cut = false;
        sockets.forEach(ApiProxy::quietlyClose);
        sockets.clear();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                if (cut) {
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(target, 5000);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Copies bytes one way until either side closes; while cut, they are swallowed. */
    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!cut) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // One side went away: the other follows.
            } finally {
                quietlyClose(from);
                quietlyClose(to);
            }
        }, "api-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void quietlyClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    @Override
    public void close() {
        closed = true;
        quietlyClose(server);
        sockets.forEach(ApiProxy::quietlyClose);
    }

    private static void quietlyClose(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }
}

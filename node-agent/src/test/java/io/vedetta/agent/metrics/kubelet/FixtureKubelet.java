package io.vedetta.agent.metrics.kubelet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A local HTTPS server answering kubelet paths with recorded responses from the test resources. HTTP/1.1 with
 * keep-alive, written on plain sockets under TLS so a response can be framed and cut short exactly as a kubelet
 * or the network can cut one: a body shorter than its {@code Content-Length}, a chunked body without its last
 * chunk, a connection reset in the middle of the body, or a body delimited by closing the connection that ends
 * wherever the connection closed.
 */
final class FixtureKubelet implements AutoCloseable {

    /** How a response's body is delimited. */
    enum Framing {
        /** {@code Content-Length}, as a small kubelet response is sent. */
        CONTENT_LENGTH,
        /** {@code Transfer-Encoding: chunked} in 8 KiB chunks, as the kubelet sends large responses. */
        CHUNKED,
        /** No length at all: the body ends when the connection closes (HTTP/1.0 style). */
        CLOSE_DELIMITED
    }

    /** How the connection ends at the cut. */
    enum Ending {
        /** The server closes the connection cleanly (TLS close_notify, then FIN). */
        CLOSE,
        /** The connection is reset (RST) without a TLS close. */
        RESET
    }

    /** What one path answers. A cut body is sent up to {@code cutAt} bytes (of the encoded body), then ended. */
    private record Answer(byte[] body, int status, Framing framing, boolean gzip, int cutAt, Ending ending) {
    }

    private static final int CHUNK_BYTES = 8192;

    private final ServerSocket server;
    private final javax.net.ssl.SSLSocketFactory tls;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fixture-kubelet");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> acceptEncodings = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    FixtureKubelet(SSLContext tls) throws IOException {
        this(tls, 0);
    }

    /**
     * Presents {@code tls}'s certificate on {@code port} of 127.0.0.1 (0: a free one). A port that a just-closed
     * fixture held is tried again for a few seconds: a listening socket closed while its accept loop is blocked is
     * released only when that thread has left {@code accept}.
     */
    FixtureKubelet(SSLContext tls, int port) throws IOException {
        this.tls = tls.getSocketFactory();
        server = bind(port);
        executor.execute(this::acceptLoop);
    }

    private static ServerSocket bind(int port) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            } catch (BindException e) {
                if (port == 0 || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }

    static FixtureKubelet start() throws Exception {
        return new FixtureKubelet(TestCa.get().serverContext);
    }

    URI url() {
        return URI.create("https://127.0.0.1:" + server.getLocalPort());
    }

    /** The bytes of the test resource {@code resource}, e.g. {@code kubelet/vedetta/metrics_resource.txt}. */
    static byte[] resource(String resource) {
        try (InputStream in = FixtureKubelet.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves the test resource {@code resource} on {@code path}, whole, with a {@code Content-Length}. */
    FixtureKubelet serve(String path, String resource) {
        return serve(path, resource(resource));
    }

    /** Serves {@code body} on {@code path}, whole, with a {@code Content-Length}. */
    FixtureKubelet serve(String path, byte[] body) {
        answers.put(path, new Answer(body, 200, Framing.CONTENT_LENGTH, false, -1, Ending.CLOSE));
        return this;
    }

    /** Serves {@code body} on {@code path} delimited by {@code framing}, gzipped if {@code gzip}, whole. */
    FixtureKubelet serve(String path, byte[] body, Framing framing, boolean gzip) {
        answers.put(path, new Answer(body, 200, framing, gzip, -1, Ending.CLOSE));
        return this;
    }

    /**
     * Serves {@code body} on {@code path} delimited by {@code framing} (gzipped if {@code gzip}), but only its
     * first {@code cutAt} bytes as sent on the wire, then ends the connection by {@code ending}. A chunked body
     * is cut between chunks: the chunk before the cut is complete and the last (empty) chunk never comes.
     */
    FixtureKubelet cut(String path, byte[] body, Framing framing, boolean gzip, int cutAt, Ending ending) {
        answers.put(path, new Answer(body, 200, framing, gzip, cutAt, ending));
        return this;
    }

    FixtureKubelet answer(String path, int status, String body) {
        answers.put(path, new Answer(body.getBytes(StandardCharsets.UTF_8), status, Framing.CONTENT_LENGTH, false,
                -1, Ending.CLOSE));
        return this;
    }

    FixtureKubelet delay(String path, Duration delay) {
        delays.put(path, delay);
        return this;
    }

    FixtureKubelet noDelay(String path) {
        delays.remove(path);
        return this;
    }

    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** The {@code Accept-Encoding} of each request so far, "null" where there was none. */
    List<String> acceptEncodings() {
        return List.copyOf(acceptEncodings);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket raw = server.accept();
                connections.add(raw);
                executor.execute(() -> serveConnection(raw));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Answers requests on one connection until the client closes it or an answer ends it. */
    private void serveConnection(Socket raw) {
        try (raw) {
            SSLSocket socket = (SSLSocket) tls.createSocket(raw, null, true);
            socket.setUseClientMode(false);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String path = readRequest(in);
                if (path == null || !respond(path, raw, socket, out)) {
                    socket.close();
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away or the test closed the server: nothing to answer any more.
        } finally {
            connections.remove(raw);
        }
    }

    /**
     * The path of the next request (headers read, Authorization and Accept-Encoding kept), or null at the end of the
     * connection.
     */
    private String readRequest(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        String authorization = "null";
        String acceptEncoding = "null";
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            String name = colon > 0 ? header.substring(0, colon) : "";
            if (name.equalsIgnoreCase("Authorization")) {
                authorization = header.substring(colon + 1).strip();
            } else if (name.equalsIgnoreCase("Accept-Encoding")) {
                acceptEncoding = header.substring(colon + 1).strip();
            }
        }
        authorizations.add(authorization);
        acceptEncodings.add(acceptEncoding);
        String[] parts = requestLine.split(" ");
        String target = parts.length > 1 ? parts[1] : "/";
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes the answer for {@code path}; false when the connection must end after it (or already has). */
    private boolean respond(String path, Socket raw, SSLSocket socket, OutputStream out) throws IOException {
        Duration delay = delays.get(path);
        if (delay != null) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        Answer answer = answers.getOrDefault(path, new Answer(("404 page not found: " + path)
                .getBytes(StandardCharsets.UTF_8), 404, Framing.CONTENT_LENGTH, false, -1, Ending.CLOSE));
        byte[] body = answer.gzip() ? gzip(answer.body()) : answer.body();
        int sent = answer.cutAt() < 0 ? body.length : Math.min(answer.cutAt(), body.length);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(answer.status())
                .append(answer.status() == 200 ? " OK" : " Error").append("\r\n")
                .append("Content-Type: ").append(path.startsWith("/stats") ? "application/json"
                        : "text/plain; version=0.0.4").append("\r\n");
        if (answer.gzip()) {
            head.append("Content-Encoding: gzip\r\n");
        }
        switch (answer.framing()) {
            case CONTENT_LENGTH -> head.append("Content-Length: ").append(body.length).append("\r\n");
            case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
            case CLOSE_DELIMITED -> head.append("Connection: close\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (answer.framing() == Framing.CHUNKED) {
            for (int from = 0; from < sent; ) {
                int to = Math.min(sent, (from / CHUNK_BYTES + 1) * CHUNK_BYTES);
                out.write((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, from, to - from);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                from = to;
            }
            if (answer.cutAt() < 0) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        } else {
            out.write(body, 0, sent);
        }
        out.flush();
        if (answer.cutAt() >= 0 && answer.ending() == Ending.RESET) {
            raw.setSoLinger(true, 0);
            raw.close();
            return false;
        }
        return answer.cutAt() < 0 && answer.framing() != Framing.CLOSE_DELIMITED;
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket connection : connections) {
            try {
                connection.close();
            } catch (SocketException e) {
                // already closed
            } catch (IOException e) {
                // closing anyway
            }
        }
        executor.shutdownNow();
    }
}

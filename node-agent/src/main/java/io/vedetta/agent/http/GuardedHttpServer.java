package io.vedetta.agent.http;

import io.vedetta.agent.config.HttpConfig;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/1.1 server of the agent's endpoints, built so that slow or hostile clients cannot stop it. The JDK's
 * {@code HttpServer} reads each request's headers on a thread of its pool, so four connections sending half their
 * headers held its four threads and stopped {@code /healthz}, {@code /readyz} and {@code /metrics} for as long as
 * they stayed open, and it bounds neither connections nor header sizes.
 *
 * <p>Here one selector thread accepts connections and reads request heads without blocking: a head must arrive
 * within {@code http.requestHeaderTimeout} and fit in {@code http.maxRequestHeaderBytes}; connections are bounded
 * in all and per client address; a request that announces a body is refused unread (no endpoint takes one). Only a
 * complete head reaches a handler, on the executor of its route (probes have their own, so scrapes never delay
 * them); the handler then writes in blocking mode, and a client that does not read the response within its route's
 * write timeout is cut off. Every refusal is counted and logged ({@link HttpRejections}).
 */
final class GuardedHttpServer implements Closeable {

    /** Serves one request; the exchange's response must be complete (or failed) when it returns. */
    interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    /** Where requests for a path go: the handler, the threads it runs on, and how long a client may take to read. */
    record Route(Handler handler, ExecutorService executor, Duration writeTimeout) {
    }

    /** How often deadlines are checked: the timeouts are enforced this late at most. */
    private static final long TICK_MILLIS = 200;

    private final HttpConfig limits;
    private final Map<String, Route> routes;
    private final HttpRejections rejections;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Requests whose key was cancelled, handed to a handler after the next select (selector thread only). */
    private final List<Runnable> dispatches = new ArrayList<>();
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final Map<InetAddress, Integer> perClient = new HashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Thread loop;
    private volatile boolean running = true;

    GuardedHttpServer(HttpConfig limits, Map<String, Route> routes, HttpRejections rejections) throws IOException {
        this.limits = limits;
        this.routes = Map.copyOf(routes);
        this.rejections = rejections;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(limits.address(), limits.port()), 128);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
        this.loop = new Thread(this::run, "http-selector");
        loop.setDaemon(true);
        loop.start();
    }

    int port() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    /** Connections open now, for {@code vedetta_http_connections}. */
    int openConnections() {
        return open.get();
    }

    private void run() {
        long nextSweep = System.nanoTime();
        while (running) {
            try {
                selector.select(TICK_MILLIS);
                List<Runnable> ready = List.copyOf(dispatches);
                dispatches.clear();
                ready.forEach(Runnable::run);
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        read((Connection) key.attachment());
                    }
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
                }
            } catch (IOException | RuntimeException e) {
                // The loop must outlive any one connection's trouble: the probes depend on it.
                rejections.internal(e);
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            try {
                admit(channel);
            } catch (IOException e) {
                // Reset before it could be set up: nothing to serve.
                channel.close();
            }
        }
    }

    private void admit(SocketChannel channel) throws IOException {
        InetAddress client = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
        if (connections.size() >= limits.maxConnections()) {
            rejections.record(Rejection.CONNECTION_LIMIT, client, limits.maxConnections()
                    + " connections are open (http.maxConnections); closed the new one");
            channel.close();
            return;
        }
        int fromClient = perClient.getOrDefault(client, 0);
        if (fromClient >= limits.maxConnectionsPerClient()) {
            rejections.record(Rejection.CLIENT_CONNECTION_LIMIT, client, fromClient
                    + " connections from this address are open (http.maxConnectionsPerClient); closed the new one");
            channel.close();
            return;
        }
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Connection connection = new Connection(channel, client, limits.maxRequestHeaderBytes());
        connection.deadlineNanos = System.nanoTime() + limits.requestHeaderTimeout().toNanos();
        connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
        connections.add(connection);
        perClient.merge(client, 1, Integer::sum);
        open.set(connections.size());
    }

    private void read(Connection connection) {
        int n;
        try {
            n = connection.channel.read(connection.in);
        } catch (IOException e) {
            close(connection);
            return;
        }
        if (n < 0) {
            close(connection);
            return;
        }
        if (n > 0 && connection.state == Connection.State.IDLE) {
            connection.state = Connection.State.HEAD;
            connection.deadlineNanos = System.nanoTime() + limits.requestHeaderTimeout().toNanos();
        }
        process(connection);
    }

    /** Dispatches the request whose head {@code connection} holds, if it has all of it. */
    private void process(Connection connection) {
        byte[] bytes = connection.in.array();
        int length = connection.in.position();
        int end = RequestHead.end(bytes, length, connection.scanned);
        if (end < 0) {
            connection.scanned = Math.max(0, length - 2);
            if (!connection.in.hasRemaining()) {
                boolean lineComplete = indexOf(bytes, length, '\n') >= 0;
                refuse(connection, lineComplete ? 431 : 414, Rejection.HEADER_TOO_LARGE, "the request line and"
                        + " headers are longer than " + limits.maxRequestHeaderBytes() + " bytes"
                        + " (http.maxRequestHeaderBytes)");
            }
            return;
        }
        RequestHead head;
        try {
            head = RequestHead.parse(bytes, end);
        } catch (RequestHead.Malformed e) {
            refuse(connection, e.status, e.reason, e.getMessage());
            return;
        }
        connection.consume(end);
        if (head.hasBody()) {
            refuse(connection, 413, Rejection.BODY, head.method() + " " + head.path()
                    + " announced a body; no endpoint takes one");
            return;
        }
        if (!head.method().equals("GET") && !head.method().equals("HEAD")) {
            answerAndClose(connection, 405, "Allow: GET, HEAD\r\n", "only GET and HEAD are served\n");
            return;
        }
        Route route = routes.get(head.path());
        if (route == null) {
            answerAndClose(connection, 404, "", "not found; try /metrics, /healthz or /readyz\n");
            return;
        }
        dispatch(connection, head, route);
    }

    /**
     * Hands the request to its handler once the selector has dropped the connection's cancelled key: a channel
     * leaves the selector only at the next select, and until then the handler could not make it blocking (a
     * keep-alive request would fail unanswered whenever the handler's thread won that race).
     */
    private void dispatch(Connection connection, RequestHead head, Route route) {
        connection.state = Connection.State.BUSY;
        connection.served = true;
        connection.key.cancel();
        dispatches.add(() -> {
            try {
                route.executor().execute(() -> serve(connection, head, route));
            } catch (RejectedExecutionException e) {
                close(connection);
            }
        });
        selector.wakeup();
    }

    /** On a handler's thread: serves the request, then hands the connection back to the selector thread. */
    private void serve(Connection connection, RequestHead head, Route route) {
        boolean reusable = false;
        Exchange exchange = new Exchange(connection, head, head.keepAlive() && running, route.writeTimeout());
        try {
            connection.channel.configureBlocking(true);
            route.handler().handle(exchange);
            reusable = exchange.finish();
        } catch (IOException | RuntimeException e) {
            if (connection.writeTimedOut) {
                rejections.record(Rejection.WRITE_TIMEOUT, connection.client, "the response to " + head.method()
                        + " " + head.path() + " was not read within " + route.writeTimeout().toMillis()
                        + "ms (http.responseTimeout); the connection was closed");
            } else if (exchange.failBeforeAnswering(e)) {
                rejections.record(Rejection.HANDLER_ERROR, connection.client, head.method() + " " + head.path()
                        + " failed: " + e);
            }
        } finally {
            connection.writeDeadlineNanos = 0;
        }
        boolean reuse = reusable && exchange.keepAlive();
        tasks.add(() -> served(connection, reuse));
        selector.wakeup();
    }

    /** Back on the selector thread: waits for the next request on the connection, or closes it. */
    private void served(Connection connection, boolean reuse) {
        if (!reuse || !running || !connection.channel.isOpen()) {
            close(connection);
            return;
        }
        try {
            connection.channel.configureBlocking(false);
            connection.key = connection.channel.register(selector, SelectionKey.OP_READ, connection);
        } catch (IOException | RuntimeException e) {
            close(connection);
            return;
        }
        long now = System.nanoTime();
        if (connection.in.position() > 0) {
            connection.state = Connection.State.HEAD;
            connection.deadlineNanos = now + limits.requestHeaderTimeout().toNanos();
            process(connection);
        } else {
            connection.state = Connection.State.IDLE;
            connection.deadlineNanos = now + limits.idleTimeout().toNanos();
        }
    }

    /** Closes connections whose head is late or whose kept-alive wait is over, and cuts off slow readers. */
    private void sweep(long now) {
        List<Connection> expired = new ArrayList<>();
        for (Connection connection : connections) {
            if (connection.state == Connection.State.BUSY) {
                long writeDeadline = connection.writeDeadlineNanos;
                if (writeDeadline != 0 && now - writeDeadline > 0) {
                    connection.writeTimedOut = true;
                    closeQuietly(connection);
                }
            } else if (now - connection.deadlineNanos > 0) {
                expired.add(connection);
            }
        }
        for (Connection connection : expired) {
            if (connection.state == Connection.State.HEAD || !connection.served) {
                rejections.record(Rejection.HEADER_TIMEOUT, connection.client, "no complete request line and"
                        + " headers within " + limits.requestHeaderTimeout().toMillis()
                        + "ms (http.requestHeaderTimeout); the connection was closed");
            }
            close(connection);
        }
    }

    /** Answers {@code status} with {@code message} if the socket takes it at once, counts it, and closes. */
    private void refuse(Connection connection, int status, Rejection reason, String message) {
        rejections.record(reason, connection.client, message);
        answerAndClose(connection, status, "", message + "\n");
    }

    private void answerAndClose(Connection connection, int status, String headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + Exchange.reason(status) + "\r\n" + headers
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        try {
            // Non-blocking: a client that does not take a short answer at once does not get one.
            connection.channel.write(new ByteBuffer[] {
                ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)), ByteBuffer.wrap(bytes)});
        } catch (IOException e) {
            // closed below either way
        }
        close(connection);
    }

    private void close(Connection connection) {
        if (connections.remove(connection)) {
            perClient.computeIfPresent(connection.client, (client, count) -> count == 1 ? null : count - 1);
            open.set(connections.size());
        }
        if (connection.key != null) {
            connection.key.cancel();
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.channel.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    private static int indexOf(byte[] bytes, int length, char c) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Stops accepting, closes every connection (responses in flight fail) and ends the selector thread. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : List.copyOf(connections)) {
            close(connection);
        }
        try {
            server.close();
            selector.close();
        } catch (IOException e) {
            // the process is stopping
        }
    }
}

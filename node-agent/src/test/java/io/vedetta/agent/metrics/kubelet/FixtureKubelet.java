package io.vedetta.agent.metrics.kubelet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** A local HTTPS server answering kubelet paths with recorded responses from the test resources. */
final class FixtureKubelet implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    FixtureKubelet(SSLContext tls) throws IOException {
        this(tls, 0);
    }

    /** Presents {@code tls}'s certificate on {@code port} of 127.0.0.1 (0: a free one). */
    FixtureKubelet(SSLContext tls, int port) throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FixtureKubelet start() throws Exception {
        return new FixtureKubelet(TestCa.get().serverContext);
    }

    URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves the test resource {@code resource} (e.g. {@code kubelet/vedetta/metrics_resource.txt}) on {@code path}. */
    FixtureKubelet serve(String path, String resource) {
        try (InputStream in = FixtureKubelet.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            bodies.put(path, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        statuses.remove(path);
        return this;
    }

    FixtureKubelet answer(String path, int status, String body) {
        bodies.put(path, body.getBytes());
        statuses.put(path, status);
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

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        Duration delay = delays.get(path);
        if (delay != null) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = bodies.getOrDefault(path, ("404 page not found: " + path).getBytes());
        int status = bodies.containsKey(path) ? statuses.getOrDefault(path, 200) : 404;
        exchange.getResponseHeaders().set("Content-Type",
                path.startsWith("/stats") ? "application/json" : "text/plain; version=0.0.4");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

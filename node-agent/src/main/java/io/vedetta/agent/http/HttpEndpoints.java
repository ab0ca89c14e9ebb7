package io.vedetta.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vedetta.agent.config.HttpConfig;
import io.vedetta.agent.lifecycle.Part;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text, OpenMetrics and protobuf by content negotiation, gzip when asked),
 * {@code /healthz} (the process is alive) and {@code /readyz} (every enabled part has started and
 * discovery has synced; 503 listing what is missing otherwise).
 */
public final class HttpEndpoints implements Part {

    /**
     * The JDK's HTTP server leaves Nagle's algorithm on, so a response written in more than one piece can wait for
     * the scraper's delayed ACK: 40 ms added to about half the scrapes on a kept-alive connection, which Prometheus
     * uses (measured by {@code scripts/bench metrics}). The server reads this property once, when its first instance
     * is made; a value set on the command line wins.
     */
    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpConfig config;
    private final PrometheusRegistry registry;
    private final Supplier<List<String>> notReady;
    private HttpServer server;
    private ExecutorService executor;
    private ExecutorService compressors;

    public HttpEndpoints(HttpConfig config, PrometheusRegistry registry, Supplier<List<String>> notReady) {
        this.config = config;
        this.registry = registry;
        this.notReady = notReady;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(config.address(), config.port()), 64);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        });
        compressors = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-gzip");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", new MetricsHandler(registry, compressors));
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
        server.createContext("/readyz", this::readiness);
        server.createContext("/", exchange -> respond(exchange, 404,
                "not found; try /metrics, /healthz or /readyz\n"));
        server.start();
    }

    /** The bound port; differs from the configured one when that was 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void readiness(HttpExchange exchange) throws IOException {
        List<String> reasons = notReady.get();
        if (reasons.isEmpty()) {
            respond(exchange, 200, "ready\n");
        } else {
            respond(exchange, 503, "not ready:\n- " + String.join("\n- ", reasons) + "\n");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void stop(Duration grace) {
        if (server != null) {
            server.stop(0);
            executor.shutdown();
            compressors.shutdown();
            try {
                executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

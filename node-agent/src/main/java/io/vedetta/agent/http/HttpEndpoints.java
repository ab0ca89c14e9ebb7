package io.vedetta.agent.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.vedetta.agent.config.HttpConfig;
import io.vedetta.agent.lifecycle.Part;
import io.vedetta.agent.metrics.ServedRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text, OpenMetrics and protobuf by content negotiation, gzip when asked),
 * {@code /healthz} (the process is alive) and {@code /readyz} (every enabled part has started and
 * discovery has synced; 503 listing what is missing otherwise), on a {@link GuardedHttpServer}. The probes run on
 * threads of their own, so that scrapes in flight never hold up the kubelet's liveness and readiness checks.
 */
public final class HttpEndpoints implements Part {

    /** Scrapes served at once; more wait for a thread (their connections are bounded by the server). */
    private static final int SCRAPE_THREADS = 4;
    private static final int PROBE_THREADS = 2;
    /** A probe's answer is a few bytes: a client that does not take them at once is not a kubelet. */
    private static final Duration PROBE_WRITE_TIMEOUT = Duration.ofSeconds(2);

    private final HttpConfig config;
    private final ServedRegistry registry;
    private final MeterRegistry meters;
    private final Supplier<List<String>> notReady;
    private GuardedHttpServer server;
    private ExecutorService scrapes;
    private ExecutorService probes;
    private ExecutorService compressors;

    public HttpEndpoints(HttpConfig config, ServedRegistry registry, MeterRegistry meters,
            Supplier<List<String>> notReady) {
        this.config = config;
        this.registry = registry;
        this.meters = meters;
        this.notReady = notReady;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start() throws IOException {
        scrapes = Executors.newFixedThreadPool(SCRAPE_THREADS, daemon("http-metrics"));
        probes = Executors.newFixedThreadPool(PROBE_THREADS, daemon("http-probe"));
        compressors = Executors.newCachedThreadPool(daemon("http-gzip"));
        GuardedHttpServer.Handler readiness = this::readiness;
        server = new GuardedHttpServer(config, Map.of(
                "/metrics", new GuardedHttpServer.Route(new MetricsHandler(registry, compressors), scrapes,
                        config.responseTimeout()),
                "/healthz", new GuardedHttpServer.Route(exchange -> respond(exchange, 200, "ok\n"), probes,
                        PROBE_WRITE_TIMEOUT),
                "/readyz", new GuardedHttpServer.Route(readiness, probes, PROBE_WRITE_TIMEOUT)),
                new HttpRejections(meters));
        GuardedHttpServer running = server;
        Gauge.builder("vedetta.http.connections", running, GuardedHttpServer::openConnections)
                .description("Connections open to the agent's HTTP server (at most http.maxConnections)")
                .register(meters);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The bound port; differs from the configured one when that was 0. */
    public int port() {
        return server.port();
    }

    private void readiness(Exchange exchange) throws IOException {
        List<String> reasons = notReady.get();
        if (reasons.isEmpty()) {
            respond(exchange, 200, "ready\n");
        } else {
            respond(exchange, 503, "not ready:\n- " + String.join("\n- ", reasons) + "\n");
        }
    }

    private static void respond(Exchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        PrometheusHttpResponse response = exchange.getResponse();
        response.setHeader("Content-Type", "text/plain; charset=utf-8");
        try (OutputStream out = response.sendHeadersAndGetBody(status, bytes.length)) {
            out.write(bytes);
        }
    }

    @Override
    public void stop(Duration grace) {
        if (server != null) {
            server.close();
            scrapes.shutdown();
            probes.shutdown();
            compressors.shutdown();
            try {
                scrapes.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

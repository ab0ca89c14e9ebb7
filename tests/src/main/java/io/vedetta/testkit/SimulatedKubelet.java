package io.vedetta.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated node's kubelet: recorded real kubelet responses (node-agent's test fixtures, with their
 * licences) served on the kubelet's paths over plain HTTP on loopback. TLS and token handling of the
 * kubelet client are tested in node-agent against an HTTPS server; here the point is a running agent whose
 * kubelet sources have something real to scrape, and a kubelet that can go down and come back. The benchmark
 * serves generated bodies instead (a full node templated from the fixtures) through {@link #SimulatedKubelet(Map)}.
 */
public final class SimulatedKubelet implements AutoCloseable {

    private static final Map<String, String> FIXTURES = Map.of(
            "/metrics/cadvisor", "datadog-integrations-core/cadvisor_metrics.txt",
            "/metrics", "datadog-integrations-core/kubelet_metrics_1_21.txt",
            "/metrics/resource", "vedetta/metrics_resource.txt",
            "/stats/summary", "datadog-integrations-core/stats_summary.json");

    private final Map<String, byte[]> bodies;
    private final int port;
    /** Answers the agent's sources in parallel, as a kubelet does; idle threads end by themselves. */
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "simulated-kubelet");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private HttpServer server;

    /** Serves the recorded responses. */
    public SimulatedKubelet() {
        this(recordedResponses());
    }

    /** Serves {@code bodies} by request path, e.g. {@code /metrics/cadvisor}; other paths answer 404. */
    public SimulatedKubelet(Map<String, byte[]> bodies) {
        this.bodies = Map.copyOf(bodies);
        this.port = Ports.free();
        start();
    }

    /** The recorded real kubelet responses by path, read from node-agent's test fixtures. */
    public static Map<String, byte[]> recordedResponses() {
        Path fixtures = AlertingSetup.repo().resolve("node-agent/src/test/resources/kubelet");
        Map<String, byte[]> bodies = new HashMap<>();
        FIXTURES.forEach((path, fixture) -> {
            try {
                bodies.put(path, Files.readAllBytes(fixtures.resolve(fixture)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kubelet fixture " + fixture, e);
            }
        });
        return bodies;
    }

    /** Requests the simulated kubelet has answered on {@code path} so far. */
    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /** Base URL for {@code metrics.kubelet.url}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Answers again on the same port after {@link #stop()}. */
    public synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("simulated kubelet cannot bind 127.0.0.1:" + port, e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The kubelet goes down: connections are refused until {@link #start()}. */
    public synchronized void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = bodies.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type",
                    path.startsWith("/stats/") ? "application/json" : "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}

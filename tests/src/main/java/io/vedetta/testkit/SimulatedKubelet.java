package io.vedetta.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;

/**
 * The simulated node's kubelet: recorded real kubelet responses (node-agent's test fixtures, with their
 * licences) served on the kubelet's paths. By default over plain HTTP on loopback: there the point is a running agent
 * whose kubelet sources have something real to scrape, and a kubelet that can go down and come back. {@link #https}
 * serves them as a kubelet does, over TLS with a given certificate, on the node's address, requiring the bearer
 * token, and optionally under the API server's node proxy prefix ({@code /api/v1/nodes/<node>/proxy}). The benchmark
 * serves generated bodies instead (a full node templated from the fixtures) through {@link #SimulatedKubelet(Map)}.
 * A request that accepts gzip gets its body gzipped, as from a kubelet.
 */
public final class SimulatedKubelet implements AutoCloseable {

    private static final Map<String, String> FIXTURES = Map.of(
            "/metrics/cadvisor", "datadog-integrations-core/cadvisor_metrics.txt",
            "/metrics", "datadog-integrations-core/kubelet_metrics_1_21.txt",
            "/metrics/resource", "vedetta/metrics_resource.txt",
            "/stats/summary", "datadog-integrations-core/stats_summary.json");

    private final Map<String, byte[]> bodies;
    private final SSLContext tls;
    private final InetAddress address;
    private final String prefix;
    private final String token;
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
        this(bodies, null, InetAddress.getLoopbackAddress(), "", null);
    }

    private SimulatedKubelet(Map<String, byte[]> bodies, SSLContext tls, InetAddress address, String prefix, String token) {
        this.bodies = Map.copyOf(bodies);
        this.tls = tls;
        this.address = address;
        this.prefix = prefix;
        this.token = token;
        this.port = Ports.free();
        start();
    }

    /**
     * The recorded responses over HTTPS presenting {@code tls}'s certificate on {@code host} (an IP), under
     * {@code prefix} ("" for the kubelet itself), answering 401 to a request without {@code Bearer token}.
     */
    public static SimulatedKubelet https(SSLContext tls, String host, String prefix, String token) {
        try {
            return new SimulatedKubelet(recordedResponses(), tls, InetAddress.getByName(host), prefix, token);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(host, e);
        }
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
        return (tls == null ? "http://" : "https://") + address.getHostAddress() + ":" + port + prefix;
    }

    public int port() {
        return port;
    }

    /** Answers again on the same port after {@link #stop()}. */
    public synchronized void start() {
        try {
            InetSocketAddress bind = new InetSocketAddress(address, port);
            if (tls == null) {
                server = HttpServer.create(bind, 16);
            } else {
                HttpsServer https = HttpsServer.create(bind, 16);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("simulated kubelet cannot bind " + address.getHostAddress() + ":" + port, e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The kubelet goes down: connections are refused until {@link #start()}. */
    public synchronized void stop() {
        server.stop(0);
    }

    private static boolean acceptsGzip(HttpExchange exchange) {
        List<String> values = exchange.getRequestHeaders().get("Accept-Encoding");
        return values != null && values.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("gzip"));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String endpoint = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
            requests.computeIfAbsent(endpoint, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = path.startsWith(prefix) ? bodies.get(endpoint) : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type",
                    path.contains("/stats/") ? "application/json" : "text/plain; version=0.0.4");
            if (acceptsGzip(exchange)) {
                // As a kubelet does (its metrics handlers are Prometheus' promhttp): compressed at the default
                // level, for every request that accepts it, so that a client asking for gzip pays what it costs.
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = new GZIPOutputStream(exchange.getResponseBody(), 1 << 16)) {
                    out.write(body);
                }
                return;
            }
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

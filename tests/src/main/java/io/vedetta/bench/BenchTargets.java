package io.vedetta.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated applications for {@code scripts/bench remote-write}: {@code targets} HTTP servers on loopback, each
 * exposing {@code series} gauges {@code bench_series{target, i}} in the text format, whose values change from scrape
 * to scrape as a busy application's would. Each counts the scrapes it answered per scraper (the {@code User-Agent}'s
 * product), so the samples a receiver should get from each scraper are known.
 */
final class BenchTargets implements AutoCloseable {

    static final String SERIES = "bench_series";

    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "bench-target");
        t.setDaemon(true);
        return t;
    });
    private final int series;
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();

    BenchTargets(int targets, int series) throws IOException {
        this.series = series;
        for (int t = 0; t < targets; t++) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            int target = t;
            server.createContext("/metrics", exchange -> handle(exchange, target));
            server.setExecutor(executor);
            server.start();
            servers.add(server);
        }
    }

    List<Integer> ports() {
        return servers.stream().map(s -> s.getAddress().getPort()).toList();
    }

    /** Scrapes answered to the scraper whose {@code User-Agent} starts with {@code product} (e.g. Prometheus). */
    long served(String product) {
        AtomicLong n = served.get(product);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange, int target) throws IOException {
        try (exchange) {
            String agent = exchange.getRequestHeaders().getFirst("User-Agent");
            String product = agent == null ? "" : agent.split("/", 2)[0];
            long scrape = served.computeIfAbsent(product, p -> new AtomicLong()).incrementAndGet();
            StringBuilder body = new StringBuilder(series * 48 + 64);
            body.append("# HELP ").append(SERIES).append(" Simulated gauges.\n# TYPE ").append(SERIES).append(" gauge\n");
            for (int i = 0; i < series; i++) {
                body.append(SERIES).append("{target=\"").append(target).append("\",i=\"").append(i).append("\"} ")
                        .append((scrape * 31 + i) % 1000).append('\n');
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
        executor.shutdownNow();
    }
}

package io.vedetta.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application on loopback exposing its metrics as applications do with client_java: the format its writers pick
 * for the scraper's {@code Accept} header (text, OpenMetrics or protobuf), gzipped when asked. Its counter
 * {@code app_scrapes_served_total} counts the scrapes it answered, so a series of it received elsewhere with a value
 * missing shows a scrape that was lost on the way. It also has {@code series} gauges {@code app_series{i="…"}}.
 */
public final class ScrapedApp implements AutoCloseable {

    private final HttpServer server;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Counter served;
    private final AtomicLong scrapes = new AtomicLong();
    private volatile String lastContentType = "";
    private final boolean textOnly;

    /** An application that answers in the format the scraper asks for. */
    public ScrapedApp(int series) {
        this(series, false);
    }

    /** {@code textOnly}: an older application that answers in the text format 0.0.4 whatever is asked. */
    public ScrapedApp(int series, boolean textOnly) {
        this.textOnly = textOnly;
        served = Counter.builder().name("app_scrapes_served_total").help("Scrapes this application answered")
                .withoutExemplars().register(registry);
        Gauge gauge = Gauge.builder().name("app_series").help("Gauges to make the exposition as large as asked")
                .labelNames("i").withoutExemplars().register(registry);
        for (int i = 0; i < series; i++) {
            gauge.labelValues(String.valueOf(i)).set(i);
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "scraped-app");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Scrapes answered so far. */
    public long scrapes() {
        return scrapes.get();
    }

    /** The {@code Content-Type} of the last answer: which format the scraper got. */
    public String lastContentType() {
        return lastContentType;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            served.inc();
            scrapes.incrementAndGet();
            ExpositionFormatWriter writer = textOnly ? formats.getPrometheusTextFormatWriter()
                    : formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writer.write(body, registry.scrape());
            lastContentType = writer.getContentType();
            exchange.getResponseHeaders().add("Content-Type", writer.getContentType());
            exchange.sendResponseHeaders(200, body.size());
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

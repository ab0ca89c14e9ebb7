package io.vedetta.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.vedetta.agent.config.ScrapeConfig;
import io.vedetta.agent.config.ScrapeProtocol;
import io.vedetta.agent.relabel.RelabelRule;
import io.vedetta.agent.relabel.Relabeling;
import io.vedetta.agent.remotewrite.SeriesLabels;
import io.vedetta.agent.remotewrite.Wal;
import io.vedetta.agent.remotewrite.WalMetrics;
import io.vedetta.agent.remotewrite.WalTestAccess;
import io.vedetta.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrapeLoopTest {

    private static final List<ScrapeProtocol> TEXT_ONLY = List.of(ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);
    private static final List<ScrapeProtocol> OPENMETRICS = List.of(ScrapeProtocol.OPENMETRICS_TEXT_1_0_0,
            ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);
    private static final List<ScrapeProtocol> PROTOBUF = List.of(ScrapeProtocol.PROMETHEUS_PROTO,
            ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);

    @TempDir
    java.nio.file.Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private TestApp app;
    private Wal wal;

    @BeforeEach
    void open() throws Exception {
        app = new TestApp();
        wal = Wal.open(dir, 64L << 20, Duration.ofHours(2), clock, new WalMetrics(registry, 64L << 20));
    }

    @AfterEach
    void close() {
        app.close();
        wal.close();
        watchdog.shutdownNow();
    }

    private static final ScrapeLoop.Settings DEFAULTS = new ScrapeLoop.Settings(0, 0, 0, false, true,
            Relabeling.NONE);

    private ScrapeLoop loop(ScrapeLoop.Settings settings, List<ScrapeProtocol> protocols, Duration timeout)
            throws Exception {
        return loop(app.url(), settings, protocols, timeout);
    }

    private ScrapeLoop loop(java.net.URI url, ScrapeLoop.Settings settings, List<ScrapeProtocol> protocols,
            Duration timeout) throws Exception {
        ScrapeTarget target = new ScrapeTarget(url, Map.of("job", "shop/web", "instance", "10.0.0.1:8080",
                "namespace", "shop", "pod", "web-1"), Duration.ofSeconds(15), timeout, "uid-1");
        HttpExposition http = new HttpExposition(target, SSLContext.getDefault().getSocketFactory(), protocols,
                "Vedetta/test", watchdog);
        return new ScrapeLoop(target, http, settings, wal, new ScrapeMetrics(registry), clock);
    }

    /** The series of the log at {@code timestamp}: name and labels (target labels left out) to value. */
    private Map<String, String> at(long timestamp) throws Exception {
        Map<String, String> out = new TreeMap<>();
        WalTestAccess.forEach(wal, (labels, ts, value) -> {
            if (ts == timestamp) {
                Map<String, String> l = new TreeMap<>(SeriesLabels.decode(labels));
                String name = l.remove("__name__");
                l.keySet().removeAll(Set.of("job", "instance", "namespace", "pod"));
                out.put(name + l, WalTestAccess.isStale(value) ? "stale" : String.valueOf(value));
            }
        });
        return out;
    }

    @Test
    void writesEverySeriesWithTheTargetsLabelsAndTheReportSeries() throws Exception {
        app.mode = TestApp.Mode.RAW;
        app.raw = """
                # TYPE requests_total counter
                requests_total{code="200"} 10
                requests_total{code="500",job="exported"} 1
                temperature 21.5 1767225500000
                """;
        ScrapeLoop loop = loop(DEFAULTS, TEXT_ONLY, Duration.ofSeconds(5));

        loop.scrape();

        long now = clock.millis();
        Map<String, String> series = at(now);
        assertEquals("10.0", series.get("requests_total{code=200}"));
        assertEquals("1.0", series.get("requests_total{code=500, exported_job=exported}"));
        assertEquals("1.0", series.get("up{}"));
        assertEquals("3.0", series.get("scrape_samples_scraped{}"));
        assertEquals("3.0", series.get("scrape_samples_post_metric_relabeling{}"));
        assertEquals("3.0", series.get("scrape_series_added{}"));
        assertEquals("21.5", at(1767225500000L).get("temperature{}"), "the target's own timestamp is honoured");
    }

    @Test
    void writesTheScrapesTimeInsteadOfTheTargetsTimestampsWhenNotHonouringThem() throws Exception {
        app.mode = TestApp.Mode.RAW;
        app.raw = "temperature 21.5 1767225500000\n";

        loop(new ScrapeLoop.Settings(0, 0, 0, false, false, Relabeling.NONE), TEXT_ONLY, Duration.ofSeconds(5))
                .scrape();

        assertEquals("21.5", at(clock.millis()).get("temperature{}"));
        assertEquals(null, at(1767225500000L).get("temperature{}"));
    }

    @Test
    void readsTextOpenMetricsAndProtobufIntoTheSameSeries() throws Exception {
        Counter.builder().name("requests_total").withoutExemplars().labelNames("code").register(app.registry).labelValues("200").inc(3);
        Gauge.builder().name("queue_length").withoutExemplars().register(app.registry).set(7);
        Histogram.builder().name("latency_seconds").withoutExemplars().classicUpperBounds(0.1, 1, 10).register(app.registry)
                .observe(0.5);
        Summary.builder().name("size_bytes").withoutExemplars().quantile(0.5, 0.01).register(app.registry).observe(100);
        Map<String, Map<String, String>> byFormat = new TreeMap<>();
        for (List<ScrapeProtocol> protocols : List.of(TEXT_ONLY, OPENMETRICS, PROTOBUF)) {
            clock.advance(Duration.ofSeconds(15));
            loop(DEFAULTS, protocols, Duration.ofSeconds(5)).scrape();
            Map<String, String> series = at(clock.millis());
            series.keySet().removeIf(k -> k.startsWith("scrape_") || k.contains("_created"));
            byFormat.put(protocols.get(0).written() + " " + app.lastAccept.substring(0, 20), series);
        }

        List<Map<String, String>> all = List.copyOf(byFormat.values());
        assertEquals(all.get(0), all.get(1), byFormat.keySet().toString());
        assertEquals(all.get(0), all.get(2), byFormat.keySet().toString());
        assertEquals("1.0", all.get(0).get("latency_seconds_bucket{le=1.0}"));
        assertEquals("3.0", all.get(0).get("requests_total{code=200}"));
        assertEquals(Set.of("latency_seconds_bucket", "latency_seconds_count", "latency_seconds_sum", "queue_length",
                "requests_total", "size_bytes", "size_bytes_count", "size_bytes_sum", "up"),
                all.get(0).keySet().stream().map(k -> k.substring(0, k.indexOf('{'))).collect(Collectors.toSet()));
    }

    @Test
    void endsSeriesThatDisappearAndEverySeriesWhenTheTargetGoes() throws Exception {
        app.mode = TestApp.Mode.RAW;
        app.raw = "a 1\nb 2\n";
        ScrapeLoop loop = loop(DEFAULTS, TEXT_ONLY, Duration.ofSeconds(5));
        loop.scrape();
        clock.advance(Duration.ofSeconds(15));
        app.raw = "a 3\n";

        loop.scrape();
        Map<String, String> second = at(clock.millis());
        clock.advance(Duration.ofSeconds(1));
        loop.stop();
        Map<String, String> gone = at(clock.millis());

        assertEquals("3.0", second.get("a{}"));
        assertEquals("stale", second.get("b{}"));
        assertEquals("stale", gone.get("a{}"));
        assertEquals("stale", gone.get("up{}"));
    }

    @Test
    void failsAScrapeOverTheSampleLimitAndEndsTheSeriesOfTheLastOne() throws Exception {
        app.mode = TestApp.Mode.RAW;
        app.raw = "a 1\nb 2\n";
        ScrapeLoop loop = loop(new ScrapeLoop.Settings(2, 0, 0, false, true, Relabeling.NONE), TEXT_ONLY,
                Duration.ofSeconds(5));
        loop.scrape();
        clock.advance(Duration.ofSeconds(15));
        app.raw = "a 1\nb 2\nc 3\n";

        loop.scrape();

        Map<String, String> series = at(clock.millis());
        assertEquals("0.0", series.get("up{}"));
        assertEquals("3.0", series.get("scrape_samples_scraped{}"));
        assertEquals("stale", series.get("a{}"));
        assertEquals(null, series.get("c{}"), "nothing of a failed scrape is written");
        assertEquals(1.0, failures("sample_limit"));
    }

    @Test
    void failsAScrapeWithASeriesOverTheLabelLimit() throws Exception {
        app.mode = TestApp.Mode.RAW;
        app.raw = "a{x=\"1\",y=\"2\"} 1\n";
        loop(new ScrapeLoop.Settings(0, 2, 0, false, true, Relabeling.NONE), TEXT_ONLY, Duration.ofSeconds(5))
                .scrape();

        assertEquals("0.0", at(clock.millis()).get("up{}"));
        assertEquals(1.0, failures("label_limit"));
    }

    @Test
    void givesUpOnATargetThatHangsAtTheTimeout() throws Exception {
        app.mode = TestApp.Mode.HANG;
        long start = System.nanoTime();

        loop(DEFAULTS, TEXT_ONLY, Duration.ofMillis(500)).scrape();

        assertEquals("0.0", at(clock.millis()).get("up{}"));
        assertEquals(1.0, failures("timeout"));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "the scrape waited past its timeout");
    }

    @Test
    void stopsReadingABodyOverTheSizeLimit() throws Exception {
        app.mode = TestApp.Mode.ENDLESS;

        loop(new ScrapeLoop.Settings(0, 0, 1 << 20, false, true, Relabeling.NONE), TEXT_ONLY, Duration.ofSeconds(10))
                .scrape();

        assertEquals("0.0", at(clock.millis()).get("up{}"));
        assertEquals(1.0, failures("body_size_limit"));
    }

    @Test
    void failsABodyCutShort() throws Exception {
        List<AutoCloseable> servers = new java.util.ArrayList<>();
        java.net.URI cut = TestApp.cutShortServer(servers);

        loop(cut, DEFAULTS, TEXT_ONLY, Duration.ofSeconds(5)).scrape();
        for (AutoCloseable c : servers) {
            c.close();
        }

        assertEquals("0.0", at(clock.millis()).get("up{}"));
        assertEquals(null, at(clock.millis()).get("other{}"));
        assertEquals(1.0, failures("cut_short"));
    }

    @Test
    void appliesMetricRelabellingAndKeepsClashingLabelsWhenHonouringThem() throws Exception {
        app.mode = TestApp.Mode.RAW;
        app.raw = "keep_me{pod=\"inner\"} 1\ndrop_me 2\n";
        Relabeling drop = new Relabeling(List.of(RelabelRule.of(new RelabelRule.Written(List.of("__name__"), null,
                "drop_.*", null, null, null, "drop"))));

        loop(new ScrapeLoop.Settings(0, 0, 0, true, true, drop), TEXT_ONLY, Duration.ofSeconds(5)).scrape();

        Map<String, String> all = new TreeMap<>();
        WalTestAccess.forEach(wal, (labels, ts, value) -> all.put(SeriesLabels.toString(labels), "" + value));
        assertTrue(all.containsKey("{__name__=\"keep_me\", instance=\"10.0.0.1:8080\", job=\"shop/web\","
                + " namespace=\"shop\", pod=\"inner\"}"), all.keySet().toString());
        assertTrue(all.keySet().stream().noneMatch(k -> k.contains("drop_me")));
        assertEquals("1.0", at(clock.millis()).get("scrape_samples_post_metric_relabeling{}"));
    }

    private double failures(String reason) {
        return registry.get("vedetta.scrape.failures").tag("reason", reason).counter().count();
    }
}

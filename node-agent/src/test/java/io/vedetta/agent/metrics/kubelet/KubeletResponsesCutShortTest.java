package io.vedetta.agent.metrics.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.agent.config.MetricSourcesConfig;
import io.vedetta.agent.metrics.Golden;
import io.vedetta.agent.metrics.MetricsErrors;
import io.vedetta.agent.metrics.Registries;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.agent.metrics.SourceCollector;
import io.vedetta.agent.metrics.kubelet.FixtureKubelet.Ending;
import io.vedetta.agent.metrics.kubelet.FixtureKubelet.Framing;
import io.vedetta.pods.PodMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * A kubelet response that ends early is a failed collection of its source, never a shorter scrape: after good
 * scrapes, each endpoint's body is cut in each way a response can be cut (shorter than its Content-Length, a
 * chunked body without its last chunk, a reset connection, a body without a length whose last line has no
 * newline; gzipped or not) at each kind of place (mid-label, mid-value, between whole lines). The source is then
 * down and stale, its last good series are served with their old values, the failure is counted as
 * {@code read} and logged once, and the next whole body is served again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeletResponsesCutShortTest {

    private static final Map<String, String> SOURCES = Map.of("/metrics/cadvisor", "cadvisor", "/metrics", "kubelet",
            "/metrics/resource", "resource", "/stats/summary", "summary");
    /** Each endpoint's recorded body, and a second body with other values to tell the scrapes apart. */
    private static final Map<String, byte[][]> BODIES = Map.of(
            "/metrics/cadvisor", textBodies("kubelet/datadog-integrations-core/cadvisor_metrics.txt"),
            "/metrics", textBodies("kubelet/datadog-integrations-core/kubelet_metrics_1_21.txt"),
            "/metrics/resource", textBodies("kubelet/vedetta/metrics_resource.txt"),
            "/stats/summary", new byte[][] {FixtureKubelet.resource("kubelet/otel-collector-contrib/stats-summary.json"),
                    FixtureKubelet.resource("kubelet/otel-collector-contrib/stats-summary-second-scrape.json")});

    private final Registries registries = new Registries();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private FixtureKubelet kubelet;
    private SourceCollector collector;

    private static byte[][] textBodies(String resource) {
        byte[] recorded = FixtureKubelet.resource(resource);
        return new byte[][] {recorded, CutBodies.bumpedValues(recorded)};
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        kubelet = FixtureKubelet.start();
        BODIES.forEach((path, bodies) -> kubelet.serve(path, bodies[0]));
        Path token = Files.writeString(dir.resolve("token"), "token");
        MetricsErrors errors = new MetricsErrors(registries.micrometer());
        HttpsKubeletClient client = Kubelets.client(kubelet.url(), TestCa.get().caPem, token);
        collector = new SourceCollector(
                KubeletSources.create(Kubelets.config(kubelet.url(), null, null, false), client, errors),
                new MetricSourcesConfig(Duration.ofSeconds(20), Map.of(), Duration.ofMinutes(5), 4, Duration.ZERO),
                new SeriesFilter(MetricFilterConfig.defaults(), PodMetadata.NONE), registries, errors);
        collector.start();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(MetricsErrors.class);
        logger.setLevel(Level.INFO);
        logger.addAppender(log);
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(MetricsErrors.class)).detachAppender(log);
        collector.stop(Duration.ZERO);
        kubelet.close();
    }

    @BeforeEach
    void clearLog() {
        log.list.clear();
    }

    /** A way of cutting a response: how its body is delimited, whether it is gzipped, how the connection ends. */
    private record Way(String name, Framing framing, boolean gzip, Ending ending) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A place to cut a body, found in the uncompressed body from a third of the way in. */
    private record Place(String name, BiFunction<byte[], Integer, Integer> offset) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Way SHORT_OF_CONTENT_LENGTH = new Way("shorter than its Content-Length",
            Framing.CONTENT_LENGTH, false, Ending.CLOSE);
    private static final Way CHUNKED_WITHOUT_LAST_CHUNK = new Way("chunked, cut before the last chunk",
            Framing.CHUNKED, false, Ending.CLOSE);
    private static final Way RESET = new Way("connection reset mid-body", Framing.CONTENT_LENGTH, false, Ending.RESET);
    private static final Way NO_LENGTH = new Way("no length, the connection closed early", Framing.CLOSE_DELIMITED,
            false, Ending.CLOSE);
    private static final Way GZIPPED_CHUNKED = new Way("gzipped and chunked, cut before the last chunk",
            Framing.CHUNKED, true, Ending.CLOSE);

    static Stream<Arguments> cuts() {
        List<Arguments> cuts = new ArrayList<>();
        List<Place> text = List.of(new Place("mid-label", CutBodies::midLabel),
                new Place("mid-value", CutBodies::midValue), new Place("between whole lines", CutBodies::lineEnd));
        List<Place> json = List.of(new Place("mid-number", CutBodies::midNumber),
                new Place("between whole objects", CutBodies::afterObject));
        for (String path : List.of("/metrics/cadvisor", "/metrics", "/metrics/resource", "/stats/summary")) {
            List<Place> places = path.startsWith("/stats") ? json : text;
            for (Way way : List.of(SHORT_OF_CONTENT_LENGTH, CHUNKED_WITHOUT_LAST_CHUNK, RESET, NO_LENGTH)) {
                for (Place place : places) {
                    // Without a length, only the body itself can tell a cut between whole lines from the end.
                    if (way != NO_LENGTH || !place.name().equals("between whole lines")) {
                        cuts.add(Arguments.of(path, way, place));
                    }
                }
            }
            cuts.add(Arguments.of(path, GZIPPED_CHUNKED, places.get(0)));
        }
        return cuts.stream();
    }

    @ParameterizedTest(name = "{0}: {1}, {2}")
    @MethodSource("cuts")
    void aCutResponseFailsItsSourceWhichServesItsLastGoodSeriesUntilAWholeOneComes(String path, Way way, Place place)
            throws Exception {
        String source = SOURCES.get(path);
        byte[] good = BODIES.get(path)[0];
        byte[] next = BODIES.get(path)[1];
        kubelet.serve(path, good, way.framing(), way.gzip());
        String goodSeries = seriesOf(path, scrapeUntilUp(source));
        double readErrors = errors("read");
        double parseErrors = errors("parse");
        log.list.clear();

        int cutAt = place.offset().apply(next, next.length / 3);
        int wireCut = way.gzip() ? (int) ((long) gzippedLength(next) * cutAt / next.length) : cutAt;
        kubelet.cut(path, next, way.framing(), way.gzip(), wireCut, way.ending());
        String cut = scrape();

        assertTrue(cut.contains("vedetta_source_up{source=\"" + source + "\"} 0.0"), cut);
        assertTrue(cut.contains("vedetta_source_stale{source=\"" + source + "\"} 1.0"), cut);
        assertEquals(goodSeries, seriesOf(path, cut), "the last good series are served, with their old values");
        assertEquals(readErrors + 1, errors("read"), "counted as a failed read");
        assertEquals(parseErrors, errors("parse"), "a cut body is not a parse error");
        List<ILoggingEvent> warnings = warningsAbout(source);
        assertEquals(1, warnings.size(), () -> "logged once: " + warnings);
        assertTrue(warnings.get(0).getFormattedMessage().contains("(read)"), warnings.get(0).getFormattedMessage());
        assertNull(warnings.get(0).getThrowableProxy(), "one line, no stack trace");

        scrape();
        assertEquals(1, warningsAbout(source).size(), () -> "a failure that lasts is logged once: "
                + warningsAbout(source));

        kubelet.serve(path, next, way.framing(), way.gzip());
        String whole = seriesOf(path, scrapeUntilUp(source));
        assertNotEquals(goodSeries, whole, "the whole body's new values are served");
        assertTrue(scrape().contains("vedetta_source_stale{source=\"" + source + "\"} 0.0"));
    }

    @Test
    void aSummaryThatDoesNotParseIsOneLogLineWithTheReason() throws Exception {
        kubelet.serve("/stats/summary", BODIES.get("/stats/summary")[0]);
        scrapeUntilUp("summary");
        log.list.clear();
        double parseErrors = errors("parse");

        kubelet.serve("/stats/summary", "{\"node\": {\"nodeName\": \"n\"}, \"pods\": [}".getBytes(StandardCharsets.UTF_8));
        String text = scrape();

        assertTrue(text.contains("vedetta_source_up{source=\"summary\"} 0.0"), text);
        assertEquals(parseErrors + 1, errors("parse"));
        List<ILoggingEvent> warnings = warningsAbout("summary");
        assertEquals(1, warnings.size(), () -> "logged once: " + warnings);
        String line = warnings.get(0).getFormattedMessage();
        assertTrue(line.contains("(parse)") && line.contains("line 1, column") && line.contains("Unexpected close"),
                line);
        assertNull(warnings.get(0).getThrowableProxy(), "one line, no stack trace");
        kubelet.serve("/stats/summary", BODIES.get("/stats/summary")[0]);
        scrapeUntilUp("summary");
    }

    /** A cut of a gzipped body falls at the same share of the compressed bytes as of the body. */
    private static int gzippedLength(byte[] body) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(compressed)) {
            zip.write(body);
        }
        return compressed.size();
    }

    private List<ILoggingEvent> warningsAbout(String source) {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .filter(e -> e.getFormattedMessage().startsWith("metric source " + source + " failed"))
                .collect(Collectors.toList());
    }

    private double errors(String reason) {
        var counter = registries.micrometer().find("vedetta.errors").tags("stage", "metrics", "reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private String scrape() {
        return Golden.exposition(registries.prometheus().scrape());
    }

    /** Scrapes until {@code source} is up: the first collection of a cold JVM may outlast one scrape. */
    private String scrapeUntilUp(String source) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String text = scrape();
        while (!text.contains("vedetta_source_up{source=\"" + source + "\"} 1.0") && System.nanoTime() < deadline) {
            text = scrape();
        }
        assertTrue(text.contains("vedetta_source_up{source=\"" + source + "\"} 1.0"), text);
        return text;
    }

    /** The series lines the endpoint at {@code path} contributes to a scrape. */
    private static String seriesOf(String path, String scrape) {
        String label = "metrics_path=\"" + path + "\"";
        String series = scrape.lines().filter(l -> l.contains(label)).collect(Collectors.joining("\n"));
        assertTrue(series.length() > 0, "no series of " + path);
        return series;
    }
}

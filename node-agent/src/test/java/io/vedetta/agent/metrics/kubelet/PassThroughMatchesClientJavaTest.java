package io.vedetta.agent.metrics.kubelet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.shaded.com_google_protobuf_4_35_0.TextFormat;
import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.agent.deflate.Gunzip;
import io.vedetta.agent.deflate.GzipEncoder;
import io.vedetta.agent.metrics.ExpositionWriter;
import io.vedetta.agent.metrics.Golden;
import io.vedetta.agent.metrics.PassThroughFamily;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.agent.metrics.ServedSeries;
import io.vedetta.agent.metrics.WrittenFamilies;
import io.vedetta.agent.metrics.exposition.TextLexer;
import io.vedetta.agent.metrics.exposition.TextLexerTest.Events;
import io.vedetta.pods.PodMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubelet's families passed through as encoded series are written byte for byte as client_java's writers write
 * the same families as snapshots, in every format {@code /metrics} negotiates, on the recorded kubelet responses and
 * among the agent's own families; the text passes promtool and the protobuf reads back in client_java's own model.
 */
class PassThroughMatchesClientJavaTest {

    private static final Path RESOURCES = Path.of("src", "test", "resources");
    private static final Map<String, String> FIXTURES = Map.of(
            "/metrics/cadvisor", "kubelet/datadog-integrations-core/cadvisor_metrics.txt",
            "/metrics", "kubelet/datadog-integrations-core/kubelet_metrics_1_21.txt",
            "/metrics/resource", "kubelet/vedetta/metrics_resource.txt");
    /** What Prometheus 2.42 asks for, format by format. */
    private static final Map<String, String> ACCEPT = accept();
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    private static Map<String, String> accept() {
        Map<String, String> accept = new LinkedHashMap<>();
        accept.put("text", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        accept.put("openmetrics", "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        accept.put("protobuf", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited;q=0.8,text/plain;version=0.0.4;q=0.2");
        return accept;
    }

    /** The agent's own families, named to fall before, between and after the kubelet's. */
    private static final List<MetricSnapshot> AGENT_FAMILIES = List.of(
            GaugeSnapshot.builder().name("aaa_agent_first").help("first").dataPoint(
                    GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build()).build(),
            CounterSnapshot.builder().name("container_agent_between").help("between").dataPoint(
                    CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("a", "b")).value(2).build())
                    .build(),
            HistogramSnapshot.builder().name("kubelet_agent_histogram_seconds").help("a histogram").dataPoint(
                    HistogramSnapshot.HistogramDataPointSnapshot.builder().sum(3).classicHistogramBuckets(
                            io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets.of(
                                    new double[] {0.5, Double.POSITIVE_INFINITY}, new long[] {1, 2})).build())
                    .build(),
            UnknownSnapshot.builder().name("zzz_agent_last").dataPoint(
                    UnknownSnapshot.UnknownDataPointSnapshot.builder().value(Double.NaN).build()).build());

    private static UnaryOperator<Labels> relabel(String path) {
        UnaryOperator<Labels> metricsPath = KubeletLabels.metricsPath(path);
        return path.equals("/metrics/cadvisor") ? l -> metricsPath.apply(KubeletLabels.cadvisor(l)) : metricsPath;
    }

    private static PrometheusTextParser.Result parse(PrometheusTextParser parser, String fixture,
            SeriesFilter.ForSource filter) throws IOException {
        try (InputStream in = Files.newInputStream(RESOURCES.resolve(fixture))) {
            return parser.read(in, filter);
        }
    }

    /** A fixture as {@code /metrics} serves it beside the agent's families, with the default filters. */
    private static ServedSeries served(String path) throws IOException {
        PrometheusTextParser.Result result = parse(new PrometheusTextParser(relabel(path), false), FIXTURES.get(path),
                new SeriesFilter(MetricFilterConfig.defaults(), PodMetadata.NONE).forSource());
        List<MetricSnapshot> model = new ArrayList<>(AGENT_FAMILIES);
        result.model().forEach(model::add);
        return new ServedSeries(new MetricSnapshots(model), result.passThrough());
    }

    private static byte[] written(ServedSeries served, ExpositionFormatWriter writer, EscapingScheme escaping)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionWriter.write(out, served, writer, escaping);
        return out.toByteArray();
    }

    private static byte[] byClientJava(ServedSeries served, ExpositionFormatWriter writer, EscapingScheme escaping)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, served.materialized(), escaping);
        return out.toByteArray();
    }

    @Test
    void replayedFamiliesHandOverWhatLexingTheirTextGives() throws IOException {
        for (String path : FIXTURES.keySet()) {
            ServedSeries served = served(path);
            ServedSeries passThrough = new ServedSeries(new MetricSnapshots(List.of()), served.passThrough());
            Events lexed = new Events();
            new TextLexer().read(new ByteArrayInputStream(written(passThrough,
                    FORMATS.findWriter(ACCEPT.get("text")), EscapingScheme.DEFAULT)), lexed);
            Events replayed = new Events();
            passThrough.passThrough().forEach(family -> family.replay(replayed));

            assertTrue(lexed.events.size() > 2 * served.passThrough().size(), path);
            assertEquals(lexed.events, replayed.events, path);
        }
    }

    @Test
    void everyRecordedResponseIsWrittenByteForByteAsClientJavaWritesItInEveryFormat() throws IOException {
        for (String path : FIXTURES.keySet()) {
            ServedSeries served = served(path);
            assertTrue(served.passThrough().size() > 5, path + " passes families through");
            for (Map.Entry<String, String> format : ACCEPT.entrySet()) {
                ExpositionFormatWriter writer = FORMATS.findWriter(format.getValue());
                EscapingScheme escaping = EscapingScheme.fromAcceptHeader(format.getValue());

                byte[] expected = byClientJava(served, writer, escaping);
                byte[] actual = written(served, writer, escaping);

                assertTrue(expected.length > 1000, path + " " + format.getKey());
                assertArrayEquals(expected, actual, path + " in " + format.getKey() + " ("
                        + writer.getClass().getSimpleName() + ")");
            }
        }
    }

    @Test
    void familiesServedAgainAreCopiedAsWrittenAndAFamilyMadeAnewIsWrittenAnew() throws IOException {
        WrittenFamilies kept = new WrittenFamilies();
        ServedSeries served = served("/metrics");
        List<MetricSnapshot> changed = new ArrayList<>();
        served.snapshots().forEach(f -> changed.add(f.getMetadata().getName().equals("zzz_agent_last")
                ? UnknownSnapshot.builder().name("zzz_agent_last").dataPoint(
                        UnknownSnapshot.UnknownDataPointSnapshot.builder().value(42).build()).build() : f));
        ServedSeries next = new ServedSeries(new MetricSnapshots(changed), served.passThrough());
        for (ServedSeries scrape : List.of(served, served, served, next, next)) {
            for (Map.Entry<String, String> format : ACCEPT.entrySet()) {
                ExpositionFormatWriter writer = FORMATS.findWriter(format.getValue());
                EscapingScheme escaping = EscapingScheme.fromAcceptHeader(format.getValue());
                ByteArrayOutputStream out = new ByteArrayOutputStream();

                ExpositionWriter.write(out, scrape, writer, escaping, kept);

                assertArrayEquals(byClientJava(scrape, writer, escaping), out.toByteArray(), format.getKey());
            }
        }
        String text = new String(written(next, FORMATS.findWriter(ACCEPT.get("text")), EscapingScheme.DEFAULT),
                StandardCharsets.UTF_8);
        assertTrue(text.contains("zzz_agent_last 42.0\n"), text);
        assertEquals(3 * next.snapshots().size(), kept.held(),
                "every family of the model, in each of the three formats");
    }

    @Test
    void escapingThatRewritesNamesIsLeftToClientJavaAndStillAgrees() throws IOException {
        ServedSeries served = served("/metrics/cadvisor");
        for (EscapingScheme escaping : EscapingScheme.values()) {
            for (String accept : ACCEPT.values()) {
                ExpositionFormatWriter writer = FORMATS.findWriter(accept);
                assertArrayEquals(byClientJava(served, writer, escaping), written(served, writer, escaping),
                        escaping + " " + accept);
            }
        }
    }

    /** Gzipped by the agent's own encoder, as {@code /metrics} does, and read by the JDK and by {@code gzip -dc}. */
    @Test
    void gzippedBodiesOfEveryRecordedResponseDecodeToTheSameBytesByTheJdkAndByGzip() throws Exception {
        for (String path : FIXTURES.keySet()) {
            ServedSeries served = served(path);
            for (Map.Entry<String, String> format : ACCEPT.entrySet()) {
                ExpositionFormatWriter writer = FORMATS.findWriter(format.getValue());
                ByteArrayOutputStream compressed = new ByteArrayOutputStream();
                try (GzipEncoder gzip = new GzipEncoder(compressed)) {
                    ExpositionWriter.write(gzip, served, writer, EscapingScheme.DEFAULT);
                }
                byte[] expected = byClientJava(served, writer, EscapingScheme.DEFAULT);
                String what = path + " in " + format.getKey();

                assertArrayEquals(expected, Gunzip.byJdk(compressed.toByteArray()), what + " by the JDK");
                assertArrayEquals(expected, Gunzip.byGzipBinary(compressed.toByteArray()), what + " by gzip -dc");
            }
        }
    }

    @Test
    void theOpenMetricsBodyOfCadvisorMatchesItsGoldenFile() throws IOException {
        ExpositionFormatWriter writer = FORMATS.findWriter(ACCEPT.get("openmetrics"));
        String text = new String(written(served("/metrics/cadvisor"), writer, EscapingScheme.DEFAULT),
                StandardCharsets.UTF_8);

        Golden.assertMatches("golden/kubelet-cadvisor.om.txt", text);
        assertTrue(text.endsWith("\n# EOF\n"), "one # EOF, at the end");
        assertEquals(1, text.lines().filter(l -> l.equals("# EOF")).count());
    }

    @Test
    void theProtobufBodyReadsBackInClientJavasModelAsItsGoldenFile() throws IOException {
        for (String path : FIXTURES.keySet()) {
            ServedSeries served = served(path);
            ExpositionFormatWriter writer = FORMATS.findWriter(ACCEPT.get("protobuf"));
            InputStream in = new ByteArrayInputStream(written(served, writer, EscapingScheme.DEFAULT));

            StringBuilder read = new StringBuilder();
            List<String> names = new ArrayList<>();
            int series = 0;
            for (Metrics.MetricFamily family = Metrics.MetricFamily.parseDelimitedFrom(in); family != null;
                    family = Metrics.MetricFamily.parseDelimitedFrom(in)) {
                read.append(TextFormat.printer().printToString(family));
                names.add(family.getName());
                series += family.getMetricCount();
            }

            assertEquals(writer.toDebugString(served.materialized(), EscapingScheme.DEFAULT), read.toString(), path);
            int expectedSeries = 0;
            for (MetricSnapshot family : served.materialized()) {
                expectedSeries += family.getDataPoints().size();
            }
            assertEquals(expectedSeries, series, path);
            assertEquals(names.stream().distinct().count(), names.size(), "each family once");
            if (path.equals("/metrics/resource")) {
                Golden.assertMatches("golden/kubelet-resource.protobuf.txt", read.toString());
            }
        }
    }

    @Test
    void theTextPassesPromtool(@TempDir Path dir) throws Exception {
        for (String path : FIXTURES.keySet()) {
            Path file = dir.resolve("metrics.txt");
            Files.write(file, written(served(path), FORMATS.findWriter(ACCEPT.get("text")), EscapingScheme.DEFAULT));
            Process promtool;
            try {
                promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("promtool (Debian package prometheus) is needed: " + e.getMessage(), e);
            }
            String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(promtool.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");

            // 3 is lint findings about the kubelet's own names, which pass through as they are; 1 a parse error.
            assertTrue(promtool.exitValue() == 0 || promtool.exitValue() == 3, path + ": " + output);
            assertFalse(output.contains("error while linting"), path + ": " + output);
        }
    }

    @Test
    void aRepeatedSeriesIsCountedAndWrittenOnce() throws IOException {
        PrometheusTextParser.Result result = new PrometheusTextParser(UnaryOperator.identity(), false).read(
                new ByteArrayInputStream("""
                        # TYPE memory_bytes gauge
                        memory_bytes{pod="a"} 1
                        memory_bytes{pod="b"} 2
                        memory_bytes{pod="a"} 3
                        """.getBytes(StandardCharsets.UTF_8)), null);
        ServedSeries served = new ServedSeries(result.model(), result.passThrough());

        String text = new String(written(served, FORMATS.findWriter(ACCEPT.get("text")), EscapingScheme.DEFAULT),
                StandardCharsets.UTF_8);

        assertEquals(List.of("memory_bytes"),
                result.passThrough().stream().map(PassThroughFamily::exposedName).toList());
        assertEquals("# TYPE memory_bytes gauge\nmemory_bytes{pod=\"a\"} 1.0\nmemory_bytes{pod=\"b\"} 2.0\n", text);
        assertEquals(1, result.skipped());
    }

    @Test
    void familiesWhoseLabelsTheFiltersRewriteGoThroughClientJava() throws IOException {
        SeriesFilter dropIds = new SeriesFilter(new MetricFilterConfig(List.of(), List.of(), List.of("id"), true, true,
                List.of()), PodMetadata.NONE);
        PrometheusTextParser.Result result = parse(new PrometheusTextParser(relabel("/metrics/cadvisor"), false),
                FIXTURES.get("/metrics/cadvisor"), dropIds.forSource());

        assertEquals(List.of(), result.passThrough());
        assertTrue(result.model().size() > 5);
    }
}

package io.vedetta.agent.metrics.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayInputStream;
import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.pods.PodMetadata;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PrometheusTextParserTest {

    private static final String HISTOGRAM_AND_SUMMARY = """
                # HELP rpc_seconds RPC latency.
                # TYPE rpc_seconds histogram
                rpc_seconds_bucket{code="200",le="0.1"} 3
                rpc_seconds_bucket{code="200",le="1"} 5
                rpc_seconds_bucket{code="200",le="+Inf"} 6
                rpc_seconds_sum{code="200"} 4.5
                rpc_seconds_count{code="200"} 6
                # TYPE gc_seconds summary
                gc_seconds{quantile="0.5"} 0.002
                gc_seconds{quantile="1"} 0.01
                gc_seconds_sum 0.3
                gc_seconds_count 70
                """;

    /** Parses {@code in} as it is, timestamps included. */
    private static PrometheusTextParser.Result parse(InputStream in) throws IOException {
        return new PrometheusTextParser(UnaryOperator.identity(), true).read(in, null);
    }

    @Test
    void readsEscapesSpecialValuesAndTimestamps() throws IOException {
        String text = """
                # HELP http_requests_total Requests \\\\ with a\\nnewline.
                # TYPE http_requests_total counter
                http_requests_total{ method = "post" , path="C:\\\\dir \\"q\\"\\nx", } 1027 1395066363000
                # a comment that is neither HELP nor TYPE
                # TYPE temperature gauge
                temperature NaN
                temperature{room="cellar"} -Inf
                temperature{room="attic"} +Inf 17
                """;

        assertEquals("""
                # HELP http_requests_total Requests \\\\ with a\\nnewline.
                # TYPE http_requests_total counter
                http_requests_total{method="post",path="C:\\\\dir \\"q\\"\\nx"} 1027.0 1395066363000
                # TYPE temperature gauge
                temperature NaN
                temperature{room="attic"} +Inf 17
                temperature{room="cellar"} -Inf
                """, write(parse(text)));
    }

    @Test
    void buildsHistogramsAndSummariesFromTheirSamples() throws IOException {
        String text = HISTOGRAM_AND_SUMMARY;

        MetricSnapshots snapshots = parse(text);

        HistogramSnapshot histogram = (HistogramSnapshot) snapshots.get(1);
        assertEquals(6, histogram.getDataPoints().get(0).getCount());
        assertEquals("""
                # TYPE gc_seconds summary
                gc_seconds{quantile="0.5"} 0.002
                gc_seconds{quantile="1.0"} 0.01
                gc_seconds_count 70
                gc_seconds_sum 0.3
                # HELP rpc_seconds RPC latency.
                # TYPE rpc_seconds histogram
                rpc_seconds_bucket{code="200",le="0.1"} 3
                rpc_seconds_bucket{code="200",le="1.0"} 5
                rpc_seconds_bucket{code="200",le="+Inf"} 6
                rpc_seconds_count{code="200"} 6
                rpc_seconds_sum{code="200"} 4.5
                """, write(snapshots));
    }

    @Test
    void keepsTheNameOfACounterWithoutTotalByMakingItUntyped() throws IOException {
        MetricSnapshots snapshots = parse("""
                # TYPE container_memory_failcnt counter
                container_memory_failcnt{id="/"} 0
                """);

        assertInstanceOf(UnknownSnapshot.class, snapshots.get(0));
        assertEquals("""
                # TYPE container_memory_failcnt untyped
                container_memory_failcnt{id="/"} 0.0
                """, write(snapshots));
    }

    @Test
    void skipsAndCountsLinesItCannotReadAndKeepsTheRest() throws IOException {
        PrometheusTextParser.Result result = parse(stream("""
                good 1
                unterminated{a="b} 1
                bad_value 1x
                reserved{__name__="x"} 1
                # TYPE odd sometype
                repeated{a="1"} 1
                repeated{a="1"} 2
                also_good{a="2"} 2 123
                before_epoch 1 -5
                """));

        assertEquals(6, result.skipped());
        assertTrue(result.firstProblem().startsWith("line 2: "), result.firstProblem());
        assertEquals("""
                # TYPE also_good untyped
                also_good{a="2"} 2.0 123
                # TYPE good untyped
                good 1.0
                # TYPE repeated untyped
                repeated{a="1"} 1.0
                """, write(result.snapshots()));
    }

    @Test
    void dropsTimestampsAndRewritesLabelsWhenAsked() throws IOException {
        PrometheusTextParser.Result result = new PrometheusTextParser(KubeletLabels::cadvisor, false)
                .read(stream("cpu{pod_name=\"p\"} 1 1700000000000\n"), null);

        assertEquals("# TYPE cpu untyped\ncpu{pod=\"p\"} 1.0\n", write(result.snapshots()));
    }

    @Test
    void relabelsEachDistinctLabelSetOnceAndSharesItAcrossFamilies() throws IOException {
        AtomicInteger relabelled = new AtomicInteger();
        String labels = "{pod_name=\"p\",id=\"/a}\\\"b\"}";
        PrometheusTextParser.Result result = new PrometheusTextParser(l -> {
            relabelled.incrementAndGet();
            return KubeletLabels.cadvisor(l);
        }, false).read(stream("cpu" + labels + " 1\nmemory" + labels + " 2\nmemory{pod_name=\"q\"} 3\n"), null);

        assertEquals("""
                # TYPE cpu untyped
                cpu{id="/a}\\"b",pod="p"} 1.0
                # TYPE memory untyped
                memory{id="/a}\\"b",pod="p"} 2.0
                memory{pod="q"} 3.0
                """, write(result.snapshots()));
        assertEquals(2, relabelled.get());
        assertSame(result.snapshots().get(0).getDataPoints().get(0).getLabels(),
                result.snapshots().get(1).getDataPoints().get(0).getLabels());
    }

    @Test
    void keepsLabelSetsFromOneParseToTheNextAndForgetsThoseTheLastParseDidNotSee() throws IOException {
        AtomicInteger relabelled = new AtomicInteger();
        PrometheusTextParser parser = new PrometheusTextParser(l -> {
            relabelled.incrementAndGet();
            return l;
        }, false);
        String both = "cpu{pod=\"a\"} 1\ncpu{pod=\"b\"} 2\n";

        MetricSnapshots first = parser.read(stream(both), null).snapshots();
        MetricSnapshots second = parser.read(stream(both.replace("} 1", "} 5")), null).snapshots();
        assertEquals(2, relabelled.get());
        assertSame(first.get(0).getDataPoints().get(0).getLabels(), second.get(0).getDataPoints().get(0).getLabels());
        assertEquals(5.0, ((UnknownSnapshot) second.get(0)).getDataPoints().get(0).getValue());

        parser.read(stream("cpu{pod=\"a\"} 1\n"), null);
        MetricSnapshots again = parser.read(stream(both), null).snapshots();
        assertEquals(3, relabelled.get());
        assertEquals(2, again.get(0).getDataPoints().size());
    }

    @Test
    void aLabelSetSeenBeforeIsTakenWithoutScanningOnlyWhenItEndsWhereTheLineHasNoTimestamp() throws IOException {
        PrometheusTextParser parser = new PrometheusTextParser(UnaryOperator.identity(), true);
        parser.read(stream("cpu{pod=\"a\"} 1\ncpu{pod=\"b\"} 2\n"), null);

        PrometheusTextParser.Result next = parser.read(stream("""
                cpu{pod="a"} 3 1395066363000
                cpu{pod="b"} not-a-number
                cpu{pod="b"}   4
                cpu{pod="c"} 5
                cpu{pod="a"} } 6
                """), null);

        assertEquals("""
                # TYPE cpu untyped
                cpu{pod="a"} 3.0 1395066363000
                cpu{pod="b"} 4.0
                cpu{pod="c"} 5.0
                """, write(next.snapshots()));
        assertEquals(2, next.skipped(), next.firstProblem());
        assertTrue(next.firstProblem().startsWith("line 2:"), next.firstProblem());
    }

    @Test
    void readsLinesSplitAcrossReadsLongerThanItsBufferAndEndedByCarriageReturns() throws IOException {
        String longValue = "v".repeat(200_000);
        String text = "# TYPE a gauge\r\na{x=\"" + longValue + "\"} 1\r\nb 2.5e-3\r\nc 3\r\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new InputStream() {
            private int next;

            @Override
            public int read() {
                return next < bytes.length ? bytes[next++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (next >= bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 7), bytes.length - next);
                System.arraycopy(bytes, next, b, off, n);
                next += n;
                return n;
            }
        };

        PrometheusTextParser.Result result = parse(trickle);

        assertEquals(0, result.skipped(), result::firstProblem);
        assertEquals("# TYPE a gauge\na{x=\"" + longValue + "\"} 1.0\n# TYPE b untyped\nb 0.0025\n# TYPE c untyped\nc 3.0\n",
                write(result.snapshots()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu{pod=\"a\"} 5.412673e+06", "cpu{pod=\"a\"} 5", "cpu{pod=\"a", "cpu", "# HELP cpu CP"})
    void failsABodyWhoseLastLineHasNoNewlineRatherThanReadingWhatCame(String lastLine) {
        EOFException e = assertThrows(EOFException.class,
                () -> parse(stream("# TYPE up gauge\nup 1\n" + lastLine)));

        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("cut short"), e.getMessage());
    }

    /**
     * The invariant behind the caches kept from parse to parse: whatever a read that fails part way through the
     * body left behind, the next whole read gives exactly what a fresh parser gives for the same body.
     */
    @Test
    void aReadCutShortAnywhereLeavesNothingTheNextWholeReadTrusts() throws IOException {
        byte[] capture = FixtureKubelet.resource("kubelet/datadog-integrations-core/cadvisor_metrics.txt");
        byte[] first = Arrays.copyOf(capture, lineEndNear(capture, 120_000));
        byte[] next = CutBodies.bumpedValues(Arrays.copyOfRange(capture, lineEndNear(capture, 20_000),
                lineEndNear(capture, 160_000)));
        SeriesFilter filter = new SeriesFilter(MetricFilterConfig.defaults(), PodMetadata.NONE);
        String expected = write(new PrometheusTextParser(KubeletLabels::cadvisor, false)
                .read(new ByteArrayInputStream(next), filter.forSource()).snapshots());
        Random random = new Random(16);
        for (int round = 0; round < 40; round++) {
            PrometheusTextParser parser = new PrometheusTextParser(KubeletLabels::cadvisor, false);
            SeriesFilter.ForSource forSource = filter.forSource();
            parser.read(new ByteArrayInputStream(first), forSource);
            byte[] cutFrom = random.nextBoolean() ? first : next;
            int cutAt = 1 + random.nextInt(cutFrom.length - 2);
            byte[] cut = Arrays.copyOf(cutFrom, cutAt);
            InputStream failing = new SequenceInputStream(new ByteArrayInputStream(cut), new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("connection reset");
                }
            });
            assertThrows(IOException.class, () -> parser.read(random.nextBoolean() ? failing
                    : new ByteArrayInputStream(cut), forSource), "cut at " + cutAt);

            String actual = write(parser.read(new ByteArrayInputStream(next), forSource).snapshots());

            assertEquals(expected, actual, "after a read cut at byte " + cutAt + " of " + cutFrom.length);
        }
    }

    private static int lineEndNear(byte[] text, int offset) {
        int i = offset;
        while (text[i - 1] != '\n') {
            i++;
        }
        return i;
    }

    @Test
    void keepsACounterBesideAGaugeOfItsBaseNameAsUntyped() throws IOException {
        MetricSnapshots snapshots = parse("""
                # TYPE go_memstats_alloc_bytes gauge
                go_memstats_alloc_bytes 2.1e+07
                # TYPE go_memstats_alloc_bytes_total counter
                go_memstats_alloc_bytes_total 1.2e+09
                """);

        assertEquals("""
                # TYPE go_memstats_alloc_bytes gauge
                go_memstats_alloc_bytes 2.1E7
                # TYPE go_memstats_alloc_bytes_total untyped
                go_memstats_alloc_bytes_total 1.2E9
                """, write(snapshots));
    }

    @Test
    void buildsHistogramsAndSummariesFromEachParsesValuesWhenTheirLabelSetsComeAgain() throws IOException {
        PrometheusTextParser parser = new PrometheusTextParser(UnaryOperator.identity(), false);
        String text = HISTOGRAM_AND_SUMMARY;
        String first = write(parser.read(stream(text), null).snapshots());
        String second = write(parser.read(stream(text.replace("} 5\n", "} 4\n").replace("0.002", "0.003")), null)
                .snapshots());

        assertEquals(first.replace("} 5\n", "} 4\n").replace("0.002", "0.003"), second);
        assertEquals(write(parse(text)), first);
    }

    @Test
    void skipsAHistogramWithABucketBoundThatIsNoNumberAtEveryParse() throws IOException {
        PrometheusTextParser parser = new PrometheusTextParser(UnaryOperator.identity(), false);
        String text = """
                # TYPE h histogram
                h_bucket{le="1"} 1
                h_bucket{le="x"} 2
                h_bucket{le="+Inf"} 3
                h_count 3
                # TYPE up gauge
                up 1
                """;
        for (int parse = 0; parse < 2; parse++) {
            PrometheusTextParser.Result result = parser.read(stream(text), null);

            assertEquals("# TYPE up gauge\nup 1.0\n", write(result.snapshots()));
            assertTrue(result.skipped() > 0, "parse " + parse);
        }
    }

    @Test
    void readsEachResponseAsAFreshParserWouldWhateverItReadBefore() throws IOException {
        PrometheusTextParser parser = new PrometheusTextParser(UnaryOperator.identity(), true);
        String stamped = """
                # TYPE rpc_seconds histogram
                rpc_seconds_bucket{le="1"} 5 1395066363000
                rpc_seconds_bucket{le="+Inf"} 6 1395066363000
                rpc_seconds_count 6
                # TYPE up gauge
                up{job="a"} 1 1395066363000
                up{job="b"} 0
                up{job="c"} 1 1395066363001
                """;
        String shorter = """
                # TYPE up counter
                up{job="c"} 1
                # TYPE rpc_seconds histogram
                rpc_seconds_bucket{le="+Inf"} 6
                rpc_seconds_count 6
                """;
        List<String> responses = new ArrayList<>(List.of(stamped, shorter, stamped, capture(
                "kubelet/datadog-integrations-core/cadvisor_metrics.txt"), capture(
                "kubelet/datadog-integrations-core/kubelet_metrics_1_21.txt"), shorter));
        for (String response : responses) {
            assertEquals(write(parse(response)), write(parser.read(stream(response), null).snapshots()));
        }
    }

    private String capture(String resource) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void skipsAHistogramWhoseBucketsDecrease() throws IOException {
        PrometheusTextParser.Result result = parse(stream("""
                # TYPE h histogram
                h_bucket{le="1"} 5
                h_bucket{le="+Inf"} 4
                h_count 4
                """));

        assertEquals(0, result.snapshots().size());
        assertTrue(result.skipped() > 0);
    }

    /** Every sample line of the real captures is read, and writing what was read is stable. */
    @ParameterizedTest
    @ValueSource(strings = {"kubelet/datadog-integrations-core/kubelet_metrics_1_21.txt",
            "kubelet/datadog-integrations-core/cadvisor_metrics.txt", "kubelet/vedetta/metrics_resource.txt"})
    void readsEverySampleOfARealCapture(String resource) throws IOException {
        String original;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            original = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        PrometheusTextParser.Result result = parse(stream(original));
        String written = write(result.snapshots());

        assertEquals(0, result.skipped(), () -> String.valueOf(result.firstProblem()));
        assertNull(result.firstProblem());
        assertEquals(sampleLines(original), sampleLines(written));
        assertEquals(written, write(parse(stream(written)).snapshots()));
        for (MetricSnapshot family : result.snapshots()) {
            assertTrue(original.contains(family.getMetadata().getName()), family.getMetadata().getName());
        }
    }

    private static long sampleLines(String text) {
        return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    }

    private static MetricSnapshots parse(String text) throws IOException {
        PrometheusTextParser.Result result = parse(stream(text));
        assertEquals(0, result.skipped(), () -> result.firstProblem());
        return result.snapshots();
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static String write(MetricSnapshots snapshots) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, snapshots);
        return out.toString(StandardCharsets.UTF_8);
    }
}

package io.vedetta.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.agent.config.MetricSourcesConfig;
import io.vedetta.pods.PodMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SourceCollectorTest {

    private final Registries registries = new Registries();
    private final MetricsErrors errors = new MetricsErrors(registries.micrometer());
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private SourceCollector collector;

    @BeforeEach
    void captureLog() {
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(MetricsErrors.class);
        // Startup logging (StartupLogging) keeps WARN until the agent configures logging; recoveries log at INFO.
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(MetricsErrors.class)).detachAppender(log);
        if (collector != null) {
            collector.stop(Duration.ZERO);
        }
    }

    /**
     * A source whose next answer the test decides: a snapshot, a failure, or waiting until released; it counts its
     * collections.
     */
    private static final class ScriptedSource implements MetricSource {
        private final String name;
        private final FamilyNames families;
        private final AtomicReference<Object> next = new AtomicReference<>();
        private final AtomicInteger collections = new AtomicInteger();
        private boolean passesThrough;

        ScriptedSource(String name, Object first) {
            this(name, FamilyNames.any(), first);
        }

        ScriptedSource(String name, FamilyNames families, Object first) {
            this.name = name;
            this.families = families;
            next.set(first);
        }

        /** From now on its counters, gauges and untyped families come passed through, as the kubelet's do. */
        ScriptedSource passingThrough() {
            passesThrough = true;
            return this;
        }

        @Override
        public SeriesFilter.Result collect(SeriesFilter.ForSource filter) throws Exception {
            SeriesFilter.Result result = filter.apply(collect());
            return passesThrough ? passedThrough(result.model()) : result;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public FamilyNames families() {
            return families;
        }

        @Override
        public MetricSnapshots collect() throws Exception {
            collections.incrementAndGet();
            Object answer = next.get();
            if (answer instanceof CountDownLatch latch) {
                latch.await(10, TimeUnit.SECONDS);
                return gauges("after_the_wait", 1);
            }
            if (answer instanceof Exception e) {
                throw e;
            }
            return (MetricSnapshots) answer;
        }
    }

    private static SeriesFilter.Result passedThrough(MetricSnapshots snapshots) {
        List<MetricSnapshot> model = new ArrayList<>();
        List<PassThroughFamily> passThrough = new ArrayList<>();
        for (MetricSnapshot family : snapshots) {
            PassThroughFamily.Kind kind = family instanceof CounterSnapshot ? PassThroughFamily.Kind.COUNTER
                    : family instanceof GaugeSnapshot ? PassThroughFamily.Kind.GAUGE
                    : family instanceof UnknownSnapshot ? PassThroughFamily.Kind.UNKNOWN : null;
            if (kind == null) {
                model.add(family);
                continue;
            }
            List<? extends DataPointSnapshot> points = family.getDataPoints();
            EncodedLabels[] series = new EncodedLabels[points.size()];
            double[] values = new double[points.size()];
            for (int i = 0; i < series.length; i++) {
                series[i] = new EncodedLabels(points.get(i).getLabels());
                values[i] = points.get(i) instanceof CounterDataPointSnapshot c ? c.getValue()
                        : points.get(i) instanceof GaugeDataPointSnapshot g ? g.getValue()
                        : ((UnknownSnapshot.UnknownDataPointSnapshot) points.get(i)).getValue();
            }
            passThrough.add(new PassThroughFamily(kind, Snapshots.exposedName(family), family.getMetadata().getHelp(),
                    series, values));
        }
        return new SeriesFilter.Result(new MetricSnapshots(model), passThrough, 0);
    }

    private static MetricSnapshots gauges(String name, double... values) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help("test gauge");
        for (int i = 0; i < values.length; i++) {
            b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("i", String.valueOf(i))).value(values[i])
                    .build());
        }
        return MetricSnapshots.of(b.build());
    }

    private void start(Duration timeout, Duration maxStaleness, MetricSource... sources) {
        start(timeout, maxStaleness, Duration.ZERO, sources);
    }

    private void start(Duration timeout, Duration maxStaleness, Duration shareWindow, MetricSource... sources) {
        collector = new SourceCollector(List.of(sources),
                new MetricSourcesConfig(timeout, Map.of(), maxStaleness, 2, shareWindow),
                new SeriesFilter(MetricFilterConfig.defaults(), PodMetadata.NONE), registries, errors);
        collector.start();
    }

    /** As {@code /metrics} writes it; the same as client_java writes the scrape of the registry's model. */
    private String scrape() throws Exception {
        return scrape(null);
    }

    private String scrape(RequestedNames names) throws Exception {
        ServedSeries served = registries.prometheus().expose(names, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionWriter.write(out, served, PrometheusTextFormatWriter.create(), EscapingScheme.DEFAULT);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(Golden.exposition(served.materialized()), text);
        return text;
    }

    private double errorCount(String reason) {
        var counter = registries.micrometer().find("vedetta.errors").tags("stage", "metrics", "reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void servesTheLastGoodSnapshotMarkedStaleWhileASourceTimesOut() throws Exception {
        ScriptedSource slow = new ScriptedSource("slow", gauges("slow_value", 42));
        start(Duration.ofSeconds(1), Duration.ofMinutes(5), slow);
        scrape();
        CountDownLatch release = new CountDownLatch(1);
        slow.next.set(release);

        String stale = scrape();

        assertTrue(stale.contains("slow_value{i=\"0\"} 42.0"), stale);
        assertTrue(stale.contains("vedetta_source_up{source=\"slow\"} 0.0"), stale);
        assertTrue(stale.contains("vedetta_source_stale{source=\"slow\"} 1.0"), stale);
        assertEquals(1, errorCount("timeout"));

        release.countDown();
        String fresh = scrape();
        assertTrue(fresh.contains("after_the_wait{i=\"0\"} 1.0"), "the collection still in flight is awaited again");
        assertTrue(fresh.contains("vedetta_source_stale{source=\"slow\"} 0.0"), fresh);
        assertTrue(fresh.contains("vedetta_source_up{source=\"slow\"} 1.0"), fresh);
    }

    @Test
    void aFailingSourceDoesNotFailTheOthers() throws Exception {
        start(Duration.ofSeconds(5), Duration.ofMinutes(5),
                new ScriptedSource("broken", new SourceException(ErrorReason.HTTP_STATUS, "answered 500")),
                new ScriptedSource("fine", gauges("fine_value", 7)));

        String text = scrape();

        assertTrue(text.contains("fine_value{i=\"0\"} 7.0"), text);
        assertTrue(text.contains("vedetta_source_up{source=\"broken\"} 0.0"), text);
        assertTrue(text.contains("vedetta_source_stale{source=\"broken\"} 0.0"), "nothing good to serve yet");
        assertTrue(text.contains("vedetta_source_up{source=\"fine\"} 1.0"), text);
        assertEquals(1, errorCount("http_status"));
        assertTrue(scrape().contains("vedetta_errors_total{reason=\"http_status\",stage=\"metrics\"}"),
                "the failure counter is served on /metrics with the rest");
    }

    @Test
    void logsAFailureOnceWhileItLastsAndAgainAfterARecovery() throws Exception {
        ScriptedSource flaky = new ScriptedSource("flaky", new SourceException(ErrorReason.CONNECT, "connection refused"));
        start(Duration.ofSeconds(5), Duration.ofMinutes(5), flaky);
        scrape();
        scrape();
        scrape();
        flaky.next.set(gauges("flaky_value", 1));
        scrape();
        flaky.next.set(new SourceException(ErrorReason.CONNECT, "connection refused"));
        scrape();

        List<String> messages = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(3, messages.size(), messages.toString());
        assertTrue(messages.get(0).contains("connection refused"), messages.get(0));
        assertTrue(messages.get(1).contains("recovered"), messages.get(1));
        assertEquals(4, errorCount("connect"));
    }

    @Test
    void stopsServingAStaleSnapshotOnceItIsTooOld() throws Exception {
        ScriptedSource source = new ScriptedSource("old", gauges("old_value", 1));
        start(Duration.ofSeconds(5), Duration.ZERO, source);
        scrape();
        source.next.set(new IllegalStateException("gone"));

        String text = scrape();

        assertFalse(text.contains("old_value"), text);
        assertTrue(text.contains("vedetta_source_stale{source=\"old\"} 0.0"), text);
        assertEquals(1, errorCount("collect_failed"));
    }

    /**
     * The agent's own {@code process_start_time_seconds} and {@code shared} gauges in the registry, and a kubelet
     * that passes through a {@code process_start_time_seconds} with one series the agent has and one it has not, a
     * counter whose name clashes with {@code shared}, and {@code kubelet_running_pods}.
     */
    private ScriptedSource clashingKubelet() {
        registries.prometheus().register((MultiCollector) () -> MetricSnapshots.of(
                GaugeSnapshot.builder().name("process_start_time_seconds").dataPoint(
                        GaugeDataPointSnapshot.builder().value(1).build()).build(),
                GaugeSnapshot.builder().name("shared").dataPoint(
                        GaugeDataPointSnapshot.builder().value(1).build()).build()));
        return new ScriptedSource("kubelet", MetricSnapshots.of(
                GaugeSnapshot.builder().name("process_start_time_seconds")
                        .dataPoint(GaugeDataPointSnapshot.builder().value(2).build())
                        .dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("metrics_path", "/metrics"))
                                .value(3).build()).build(),
                CounterSnapshot.builder().name("shared_total")
                        .dataPoint(CounterDataPointSnapshot.builder().value(5).build()).build(),
                GaugeSnapshot.builder().name("kubelet_running_pods")
                        .dataPoint(GaugeDataPointSnapshot.builder().value(7).build()).build()));
    }

    @Test
    void leavesOutWhatClashesWithTheRestOfTheRegistryInsteadOfFailingTheScrape() throws Exception {
        assertClashesLeftOutAndCounted(clashingKubelet());
    }

    @Test
    void familiesPassedThroughClashWithTheRestOfTheRegistryAsSnapshotsDo() throws Exception {
        assertClashesLeftOutAndCounted(clashingKubelet().passingThrough());
    }

    private void assertClashesLeftOutAndCounted(ScriptedSource kubelet) throws Exception {
        start(Duration.ofSeconds(5), Duration.ofMinutes(5), kubelet);

        String text = scrape();

        assertTrue(text.contains("process_start_time_seconds 1.0"), text);
        assertTrue(text.contains("process_start_time_seconds{metrics_path=\"/metrics\"} 3.0"), text);
        assertFalse(text.contains("process_start_time_seconds 2.0"), text);
        assertFalse(text.contains("shared_total"), text);
        assertTrue(text.contains("kubelet_running_pods 7.0"), text);
        assertEquals(1, text.lines().filter(l -> l.equals("# TYPE process_start_time_seconds gauge")).count(), text);
        assertEquals(1, errorCount("duplicate_series"));
        assertEquals(1, errorCount("conflicting_family"));
    }

    @Test
    void familiesPassedThroughFromTwoSourcesAreMergedTheirRepeatsCountedAndEachWrittenOnce() throws Exception {
        start(Duration.ofSeconds(5), Duration.ofMinutes(5),
                new ScriptedSource("a", MetricSnapshots.of(GaugeSnapshot.builder().name("same").dataPoint(
                        GaugeDataPointSnapshot.builder().labels(Labels.of("from", "a")).value(1).build()).dataPoint(
                        GaugeDataPointSnapshot.builder().labels(Labels.of("from", "both")).value(3).build()).build()))
                        .passingThrough(),
                new ScriptedSource("b", MetricSnapshots.of(GaugeSnapshot.builder().name("same").dataPoint(
                        GaugeDataPointSnapshot.builder().labels(Labels.of("from", "b")).value(2).build()).dataPoint(
                        GaugeDataPointSnapshot.builder().labels(Labels.of("from", "both")).value(4).build()).build()))
                        .passingThrough());

        String text = scrape();

        assertEquals(1, text.lines().filter(l -> l.equals("# TYPE same gauge")).count(), text);
        assertTrue(text.contains("same{from=\"a\"} 1.0\nsame{from=\"b\"} 2.0\nsame{from=\"both\"} 3.0\n"), text);
        assertEquals(1, errorCount("duplicate_series"));
    }

    @Test
    void aPassedThroughFamilyIsServedStaleWhileItsSourceFailsAndFilteredByName() throws Exception {
        ScriptedSource kubelet = new ScriptedSource("kubelet", gauges("kubelet_value", 42)).passingThrough();
        start(Duration.ofSeconds(5), Duration.ofMinutes(5), kubelet);
        scrape();
        kubelet.next.set(new SourceException(ErrorReason.READ, "the body was cut short"));

        String stale = scrape();
        String filtered = scrape(new RequestedNames(List.of("vedetta_source_up")));

        assertTrue(stale.contains("kubelet_value{i=\"0\"} 42.0"), stale);
        assertTrue(stale.contains("vedetta_source_stale{source=\"kubelet\"} 1.0"), stale);
        assertFalse(filtered.contains("kubelet_value"), filtered);
        assertTrue(filtered.contains("vedetta_source_up{source=\"kubelet\"} 0.0"), filtered);
    }

    @Test
    void mergesFamiliesOfTheSameNameFromTwoSources() throws Exception {
        start(Duration.ofSeconds(5), Duration.ofMinutes(5),
                new ScriptedSource("a", MetricSnapshots.of(GaugeSnapshot.builder().name("same").dataPoint(
                        GaugeDataPointSnapshot.builder().labels(Labels.of("from", "a")).value(1).build()).build())),
                new ScriptedSource("b", MetricSnapshots.of(GaugeSnapshot.builder().name("same").dataPoint(
                        GaugeDataPointSnapshot.builder().labels(Labels.of("from", "b")).value(2).build()).build())));

        String text = scrape();

        assertEquals(1, text.lines().filter(l -> l.equals("# TYPE same gauge")).count(), text);
        assertTrue(text.contains("same{from=\"a\"} 1.0\nsame{from=\"b\"} 2.0"), text);
    }

    @Test
    void countsSeriesAsPrometheusStoresThem() throws Exception {
        MetricSnapshots histogram = MetricSnapshots.of(HistogramSnapshot.builder().name("latency_seconds")
                .dataPoint(HistogramDataPointSnapshot.builder().sum(1).classicHistogramBuckets(ClassicHistogramBuckets.of(
                        new double[] {0.1, 1, Double.POSITIVE_INFINITY}, new long[] {1, 2, 3})).build())
                .build());
        start(Duration.ofSeconds(5), Duration.ofMinutes(5), new ScriptedSource("h", histogram),
                new ScriptedSource("g", gauges("g_value", 1, 2, 3, 4)));

        String text = scrape();

        assertTrue(text.contains("vedetta_series{source=\"h\"} 5.0"), text);
        assertTrue(text.contains("vedetta_series{source=\"g\"} 4.0"), text);
        assertTrue(text.contains("# TYPE vedetta_source_scrape_duration_seconds gauge"), text);
    }
    @Test
    void scrapesThatArriveWhileACollectionRunsShareIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedSource slow = new ScriptedSource("slow", release);
        start(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ZERO, slow);
        List<SourceCollector.Collection> scrapes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            scrapes.add(collector.begin(null));
        }

        release.countDown();

        for (SourceCollector.Collection scrape : scrapes) {
            String text = Golden.exposition(scrape.finish(MetricSnapshots.builder().build(), null).materialized());
            assertTrue(text.contains("after_the_wait{i=\"0\"} 1.0"), text);
        }
        assertEquals(1, slow.collections.get(), "one collection served the four scrapes");
    }

    @Test
    void aScrapeWithinTheShareWindowIsServedTheCollectionBegunBeforeIt() throws Exception {
        ScriptedSource source = new ScriptedSource("kubelet", gauges("value", 1));
        start(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(10), source);

        scrape();
        source.next.set(gauges("value", 2));
        String second = scrape();

        assertEquals(1, source.collections.get());
        assertTrue(second.contains("value{i=\"0\"} 1.0"), second);
    }

    @Test
    void withoutAShareWindowEveryScrapeCollectsAgain() throws Exception {
        ScriptedSource source = new ScriptedSource("kubelet", gauges("value", 1));
        start(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ZERO, source);

        scrape();
        source.next.set(gauges("value", 2));
        String second = scrape();

        assertEquals(2, source.collections.get());
        assertTrue(second.contains("value{i=\"0\"} 2.0"), second);
    }

    @Test
    void aNameFilterCollectsOnlyTheSourcesThatCouldServeIt() throws Exception {
        ScriptedSource node = new ScriptedSource("node", FamilyNames.exposed("node_load1"), gauges("node_load1", 1));
        ScriptedSource cadvisor = new ScriptedSource("cadvisor", FamilyNames.prefixed("machine_"),
                gauges("machine_memory_bytes", 2));
        ScriptedSource anything = new ScriptedSource("kubelet", FamilyNames.any(), gauges("kubelet_pods", 3));
        start(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ZERO, node, cadvisor, anything);

        String text = Golden.exposition(registries.prometheus().scrape(
                new RequestedNames(List.of("machine_memory_bytes")), null));

        assertEquals(0, node.collections.get(), "node_load1 was not asked for: " + text);
        assertEquals(1, cadvisor.collections.get());
        assertEquals(1, anything.collections.get(), "a source that can produce any name is always collected");
        assertTrue(text.contains("machine_memory_bytes{i=\"0\"} 2.0"), text);
        assertFalse(text.contains("kubelet_pods"), text);
        assertFalse(text.contains("vedetta_source_up"), "health was not asked for: " + text);
    }

    @Test
    void askingForTheSourcesHealthCollectsEverySource() throws Exception {
        ScriptedSource node = new ScriptedSource("node", FamilyNames.exposed("node_load1"), gauges("node_load1", 1));
        ScriptedSource cadvisor = new ScriptedSource("cadvisor", FamilyNames.prefixed("machine_"),
                gauges("machine_memory_bytes", 2));
        start(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ZERO, node, cadvisor);

        String text = Golden.exposition(registries.prometheus().scrape(
                new RequestedNames(List.of("vedetta_source_up")), null));

        assertEquals(1, node.collections.get());
        assertEquals(1, cadvisor.collections.get());
        assertTrue(text.contains("vedetta_source_up{source=\"node\"} 1.0"), text);
        assertTrue(text.contains("vedetta_source_up{source=\"cadvisor\"} 1.0"), text);
        assertFalse(text.contains("node_load1"), text);
    }
}

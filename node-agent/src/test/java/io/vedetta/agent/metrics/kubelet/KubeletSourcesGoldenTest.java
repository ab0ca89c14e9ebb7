package io.vedetta.agent.metrics.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.agent.metrics.DeclaredFamilies;
import io.vedetta.agent.metrics.Golden;
import io.vedetta.agent.metrics.MetricSource;
import io.vedetta.agent.metrics.MetricsErrors;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.pods.PodMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kubelet source, fed the recorded responses over HTTPS, produces the exposition in its golden file. */
class KubeletSourcesGoldenTest {

    private static FixtureKubelet kubelet;
    private static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();
    private static Map<String, MetricSource> sources;
    private static final SeriesFilter DEFAULT_FILTER = new SeriesFilter(MetricFilterConfig.defaults(), PodMetadata.NONE);

    @BeforeAll
    static void startKubelet(@TempDir Path dir) throws Exception {
        kubelet = FixtureKubelet.start()
                .serve("/metrics/cadvisor", "kubelet/datadog-integrations-core/cadvisor_metrics.txt")
                .serve("/metrics", "kubelet/datadog-integrations-core/kubelet_metrics_1_21.txt")
                .serve("/metrics/resource", "kubelet/vedetta/metrics_resource.txt")
                .serve("/stats/summary", "kubelet/datadog-integrations-core/stats_summary.json");
        Path token = Files.writeString(dir.resolve("token"), "golden-token");
        HttpsKubeletClient client = Kubelets.client(kubelet.url(), TestCa.get().caPem, token);
        List<MetricSource> all = KubeletSources.create(Kubelets.config(kubelet.url(), null, null, false), client,
                new MetricsErrors(REGISTRY));
        sources = all.stream().collect(Collectors.toMap(MetricSource::name, s -> s));
    }

    @AfterAll
    static void stopKubelet() {
        kubelet.close();
    }

    /** As the agent collects a source: filtered by the source itself (the text sources while they parse). */
    private static String collect(String source) throws Exception {
        return Golden.exposition(sources.get(source).collect(DEFAULT_FILTER.forSource()).snapshots());
    }

    @Test
    void filteringWhileParsingServesWhatFilteringTheParsedSeriesServes() throws Exception {
        List<MetricFilterConfig> configs = List.of(MetricFilterConfig.defaults(),
                new MetricFilterConfig(List.of(), List.of(Pattern.compile("container_memory_.*")), List.of(), true,
                        true, List.of()),
                new MetricFilterConfig(List.of(Pattern.compile("container_.*|kubelet_.*")), List.of(),
                        List.of("id", "image"), true, false, List.of()),
                new MetricFilterConfig(List.of(), List.of(), List.of(), false, false, List.of("app")));
        for (MetricFilterConfig config : configs) {
            SeriesFilter filter = new SeriesFilter(config, PodMetadata.NONE);
            for (String source : List.of("cadvisor", "kubelet", "resource")) {
                SeriesFilter.ForSource whileParsing = filter.forSource();
                for (int scrape = 1; scrape <= 2; scrape++) {
                    SeriesFilter.Result expected = filter.apply(sources.get(source).collect());
                    SeriesFilter.Result actual = sources.get(source).collect(whileParsing);

                    String what = source + ", scrape " + scrape + ", " + config;
                    assertEquals(Golden.exposition(expected.snapshots()), Golden.exposition(actual.snapshots()), what);
                    assertEquals(expected.duplicates(), actual.duplicates(), what);
                }
            }
        }
    }

    @Test
    void cadvisorSeriesKeepTheirNamesWithPre116LabelsRenamedAndWhatKubePrometheusDropsDropped() throws Exception {
        String text = collect("cadvisor");

        Golden.assertMatches("golden/kubelet-cadvisor.prom", text);
        assertFalse(text.contains("container_name="), "pre-1.16 labels are renamed");
        assertTrue(text.contains("container_cpu_usage_seconds_total{container=\""));
        assertTrue(text.contains("metrics_path=\"/metrics/cadvisor\""));
        assertTrue(text.contains("container_cpu_usage_seconds_total{container=\"\",cpu=\"cpu00\",id=\"/system.slice/docker.service\""),
                "the runtime's own CPU is kept, as kube-prometheus keeps it");
        assertFalse(text.contains("container_network_tcp_usage_total"), "dropped by kube-prometheus");
        assertFalse(text.contains("container_spec_cpu_shares{container=\"\",id=\"/\""), "pod-less spec series dropped");
    }

    @Test
    void kubeletOwnMetricsPassThrough() throws Exception {
        String text = collect("kubelet");

        Golden.assertMatches("golden/kubelet-metrics.prom", text);
        assertTrue(text.contains("# TYPE kubelet_pleg_relist_duration_seconds histogram"));
    }

    @Test
    void resourceMetricsPassThroughWithoutTheirTimestamps() throws Exception {
        String text = collect("resource");

        Golden.assertMatches("golden/kubelet-resource.prom", text);
        assertFalse(text.contains("1587423146000"), "sample timestamps are dropped");
    }

    @Test
    void summaryBecomesCadvisorNamedSeries() throws Exception {
        String text = collect("summary");

        Golden.assertMatches("golden/kubelet-summary.prom", text);
        assertTrue(text.contains("container_cpu_usage_seconds_total{container=\"agent\",metrics_path=\"/stats/summary\","
                + "namespace=\"kube-system\",pod=\"fluentd-gcp-v2.0.10-9q9t4\"} 2505.102601908"), text);
    }

    @Test
    void everyEndpointIsAskedWithTheBearerToken() throws Exception {
        for (MetricSource source : sources.values()) {
            source.collect();
        }

        assertTrue(kubelet.authorizations().size() >= sources.size());
        assertEquals(List.of(), kubelet.authorizations().stream().filter(a -> !a.equals("Bearer golden-token")).toList());
    }

    @Test
    void everySourceServesOnlyTheFamiliesItDeclaresAndTheRecordedKubeletNothingElse() throws Exception {
        for (MetricSource source : sources.values()) {
            DeclaredFamilies.assertDeclared(source, source.collect());
        }

        assertEquals(0, REGISTRY.get("vedetta.errors").tag("reason", "undeclared_family").counter().count(),
                "the recorded responses hold only the families their sources declare");
    }

    @Test
    void aFamilyACadvisorEndpointShouldNotServeIsLeftOutAndCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FixtureKubelet odd = FixtureKubelet.start()) {
            odd.answer("/metrics/cadvisor", 200, """
                    # TYPE container_last_seen gauge
                    container_last_seen{container="web",namespace="shop",pod="web-1"} 1.7e9
                    # TYPE go_goroutines gauge
                    go_goroutines 42
                    """);
            HttpsKubeletClient client = Kubelets.client(odd.url(), TestCa.get().caPem, null);
            MetricSource cadvisor = KubeletSources.create(Kubelets.config(odd.url(), null, null, false), client,
                    new MetricsErrors(registry)).get(0);

            String text = Golden.exposition(cadvisor.collect());

            assertTrue(text.contains("container_last_seen{"), text);
            assertFalse(text.contains("go_goroutines"), text);
            assertEquals(1, registry.get("vedetta.errors").tag("reason", "undeclared_family").counter().count());
        }
    }
}

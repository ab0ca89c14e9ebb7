package io.vedetta.agent.metrics.kubelet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.agent.config.MetricSourcesConfig;
import io.vedetta.agent.metrics.Golden;
import io.vedetta.agent.metrics.MetricsErrors;
import io.vedetta.agent.metrics.Registries;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.agent.metrics.SourceCollector;
import io.vedetta.pods.PodMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet sources behind the source collector, against a local HTTPS kubelet that misbehaves on demand. */
class KubeletCollectionTest {

    @TempDir
    Path dir;
    private FixtureKubelet kubelet;
    private SourceCollector collector;
    private final Registries registries = new Registries();

    @BeforeEach
    void start() throws Exception {
        kubelet = FixtureKubelet.start()
                .serve("/metrics/cadvisor", "kubelet/datadog-integrations-core/cadvisor_metrics.txt")
                .serve("/metrics", "kubelet/datadog-integrations-core/kubelet_metrics_1_21.txt")
                .serve("/metrics/resource", "kubelet/vedetta/metrics_resource.txt")
                .serve("/stats/summary", "kubelet/otel-collector-contrib/stats-summary.json");
        Path token = Files.writeString(dir.resolve("token"), "token");
        MetricsErrors errors = new MetricsErrors(registries.micrometer());
        HttpsKubeletClient client = Kubelets.client(kubelet.url(), TestCa.get().caPem, token);
        collector = new SourceCollector(
                KubeletSources.create(Kubelets.config(kubelet.url(), null, null, false), client, errors),
                new MetricSourcesConfig(Duration.ofSeconds(10), Map.of("cadvisor", Duration.ofSeconds(3)),
                        Duration.ofMinutes(5), 4, Duration.ZERO),
                new SeriesFilter(MetricFilterConfig.defaults(), PodMetadata.NONE), registries, errors);
        collector.start();
    }

    @AfterEach
    void stop() {
        collector.stop(Duration.ZERO);
        kubelet.close();
    }

    private String scrape() throws Exception {
        return Golden.exposition(registries.prometheus().scrape());
    }

    /**
     * Scrapes until every named source is up: on a loaded machine the first, cold collection can outlast a
     * short timeout, and the collection still in flight is awaited again by the next scrape.
     */
    private String scrapeUntilUp(String... sources) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String text = scrape();
            boolean allUp = true;
            for (String source : sources) {
                allUp &= text.contains("vedetta_source_up{source=\"" + source + "\"} 1.0");
            }
            if (allUp || System.nanoTime() > deadline) {
                return text;
            }
        }
    }

    @Test
    void aKubeletEndpointThatStopsAnsweringInTimeIsServedStale() throws Exception {
        String fresh = scrapeUntilUp("cadvisor");
        assertTrue(fresh.contains("vedetta_source_up{source=\"cadvisor\"} 1.0"), fresh);
        kubelet.delay("/metrics/cadvisor", Duration.ofSeconds(6));

        String stale = scrape();

        assertTrue(stale.contains("vedetta_source_up{source=\"cadvisor\"} 0.0"), stale);
        assertTrue(stale.contains("vedetta_source_stale{source=\"cadvisor\"} 1.0"), stale);
        assertTrue(stale.contains("container_cpu_cfs_periods_total{"), "cAdvisor's last good series are served");
        assertTrue(stale.contains("vedetta_source_up{source=\"kubelet\"} 1.0"), stale);
    }

    @Test
    void aFailingEndpointLeavesTheOthersServed() throws Exception {
        kubelet.answer("/stats/summary", 500, "internal error");

        String text = scrapeUntilUp("cadvisor", "resource", "kubelet");

        assertTrue(text.contains("vedetta_source_up{source=\"summary\"} 0.0"), text);
        assertTrue(text.contains("vedetta_source_up{source=\"cadvisor\"} 1.0"), text);
        assertTrue(text.contains("vedetta_source_up{source=\"resource\"} 1.0"), text);
        assertTrue(text.contains("kubelet_running_pods{metrics_path=\"/metrics\"}"), text);
        assertFalse(text.contains("metrics_path=\"/stats/summary\""), text);
    }
}

package io.vedetta.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SeriesFilterTest {

    private static final MetricSnapshots CADVISOR_LIKE = MetricSnapshots.of(
            CounterSnapshot.builder().name("container_cpu_usage_seconds_total").help("cpu")
                    .dataPoint(counter(1, "container", "app", "id", "/kubepods/a", "namespace", "shop", "pod", "web-1"))
                    .dataPoint(counter(2, "container", "app", "id", "/kubepods/b", "namespace", "shop", "pod", "web-1"))
                    .dataPoint(counter(3, "id", "/system.slice/docker.service"))
                    .dataPoint(counter(4, "id", "/"))
                    .build(),
            GaugeSnapshot.builder().name("container_fs_usage_bytes").help("fs")
                    .dataPoint(gauge(5, "container", "app", "namespace", "shop", "pod", "web-1")).build(),
            GaugeSnapshot.builder().name("machine_cpu_cores").help("cores").dataPoint(gauge(8)).build());

    private static CounterDataPointSnapshot counter(double value, String... labels) {
        return CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build();
    }

    private static GaugeDataPointSnapshot gauge(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build();
    }

    private static MetricFilterConfig config(List<String> allow, List<String> deny, List<String> dropLabels,
            boolean dropPodless, List<String> podLabels) {
        return new MetricFilterConfig(allow.stream().map(Pattern::compile).toList(),
                deny.stream().map(Pattern::compile).toList(), dropLabels, dropPodless, dropPodless, podLabels);
    }

    private static String apply(MetricFilterConfig config, PodMetadata pods) throws Exception {
        return Golden.exposition(new SeriesFilter(config, pods).apply(CADVISOR_LIKE).snapshots());
    }

    /** cAdvisor families as a kubelet serves them, pod-less system cgroups included, and an old kubelet summary. */
    private static final MetricSnapshots KUBE_PROMETHEUS_CASES = MetricSnapshots.of(
            CounterSnapshot.builder().name("container_cpu_usage_seconds_total").help("cpu")
                    .dataPoint(counter(1, "container", "app", "id", "/kubepods/a", "namespace", "shop", "pod", "web-1"))
                    .dataPoint(counter(2, "id", "/system.slice/kubelet.service"))
                    .build(),
            GaugeSnapshot.builder().name("container_spec_memory_limit_bytes").help("limit")
                    .dataPoint(gauge(3, "container", "app", "id", "/kubepods/a", "namespace", "shop", "pod", "web-1"))
                    .dataPoint(gauge(4, "id", "/system.slice/kubelet.service"))
                    .dataPoint(gauge(5, "id", "/kubepods/b", "pod", "web-2"))
                    .build(),
            CounterSnapshot.builder().name("container_blkio_device_usage").help("blkio")
                    .dataPoint(counter(6, "container", "app", "device", "/dev/sda", "namespace", "shop", "pod", "web-1"))
                    .dataPoint(counter(7, "device", "/dev/sda", "id", "/"))
                    .build(),
            GaugeSnapshot.builder().name("container_tasks_state").help("tasks")
                    .dataPoint(gauge(8, "container", "app", "namespace", "shop", "pod", "web-1", "state", "running"))
                    .build(),
            GaugeSnapshot.builder().name("container_scrape_error").help("scrape error").dataPoint(gauge(0)).build(),
            SummarySnapshot.builder().name("kubelet_pod_worker_latency_microseconds").help("old kubelet")
                    .dataPoint(SummaryDataPointSnapshot.builder().labels(Labels.of("operation_type", "sync"))
                            .quantiles(Quantiles.of(new Quantile(0.5, 12), new Quantile(0.99, 40)))
                            .count(9).sum(150).build())
                    .build(),
            CounterSnapshot.builder().name("storage_operation_errors").help("deprecated")
                    .dataPoint(counter(10, "operation_name", "volume_mount")).build());

    @Test
    void dropsWhatKubePrometheusDropsAndNothingElseByDefault() {
        String text = Golden.exposition(new SeriesFilter(MetricFilterConfig.defaults(), PodMetadata.NONE)
                .apply(KUBE_PROMETHEUS_CASES).snapshots());

        assertEquals("""
                # HELP container_blkio_device_usage_total blkio
                # TYPE container_blkio_device_usage_total counter
                container_blkio_device_usage_total{device="/dev/sda",id="/"} 7.0
                # HELP container_cpu_usage_seconds_total cpu
                # TYPE container_cpu_usage_seconds_total counter
                container_cpu_usage_seconds_total{container="app",id="/kubepods/a",namespace="shop",pod="web-1"} 1.0
                container_cpu_usage_seconds_total{id="/system.slice/kubelet.service"} 2.0
                # HELP container_scrape_error scrape error
                # TYPE container_scrape_error gauge
                container_scrape_error 0.0
                # HELP container_spec_memory_limit_bytes limit
                # TYPE container_spec_memory_limit_bytes gauge
                container_spec_memory_limit_bytes{container="app",id="/kubepods/a",namespace="shop",pod="web-1"} 3.0
                container_spec_memory_limit_bytes{id="/kubepods/b",pod="web-2"} 5.0
                # HELP kubelet_pod_worker_latency_microseconds old kubelet
                # TYPE kubelet_pod_worker_latency_microseconds summary
                kubelet_pod_worker_latency_microseconds_count{operation_type="sync"} 9
                kubelet_pod_worker_latency_microseconds_sum{operation_type="sync"} 150.0
                """, text);
    }

    @Test
    void theStricterOptionAlsoDropsEveryOtherContainerSeriesWithoutPodAndNamespace() {
        String text = Golden.exposition(new SeriesFilter(new MetricFilterConfig(List.of(), List.of(), List.of(),
                true, true, List.of()), PodMetadata.NONE).apply(KUBE_PROMETHEUS_CASES).snapshots());

        assertEquals(List.of(
                "container_cpu_usage_seconds_total{container=\"app\",id=\"/kubepods/a\",namespace=\"shop\",pod=\"web-1\"} 1.0",
                "container_spec_memory_limit_bytes{container=\"app\",id=\"/kubepods/a\",namespace=\"shop\",pod=\"web-1\"} 3.0",
                "kubelet_pod_worker_latency_microseconds_count{operation_type=\"sync\"} 9",
                "kubelet_pod_worker_latency_microseconds_sum{operation_type=\"sync\"} 150.0"),
                text.lines().filter(l -> !l.startsWith("#")).toList());
    }

    @Test
    void switchedOffKeepsEverything() {
        MetricFilterConfig off = new MetricFilterConfig(List.of(), List.of(), List.of(), false, false, List.of());

        String text = Golden.exposition(new SeriesFilter(off, PodMetadata.NONE).apply(KUBE_PROMETHEUS_CASES)
                .snapshots());

        assertEquals(14, text.lines().filter(l -> !l.startsWith("#")).count(), text);
    }

    @Test
    void allowAndDenyListsMatchWholeExposedNames() throws Exception {
        String text = apply(config(List.of("container_.*_total", "machine_.*"), List.of("machine_cpu_cores"),
                List.of(), false, List.of()), PodMetadata.NONE);

        assertEquals(List.of("container_cpu_usage_seconds_total"),
                text.lines().filter(l -> l.startsWith("# TYPE")).map(l -> l.split(" ")[2]).toList());
        assertEquals(4, text.lines().filter(l -> l.startsWith("container_cpu")).count(), "pod-less kept when off");
    }

    @Test
    void droppingLabelsKeepsTheFirstOfSeriesThatBecomeEqualAndCountsTheRest() {
        SeriesFilter.Result result = new SeriesFilter(config(List.of(), List.of(), List.of("id"), true, List.of()),
                PodMetadata.NONE).apply(CADVISOR_LIKE);

        assertEquals(1, result.duplicates());
        var cpu = result.snapshots().get(0).getDataPoints();
        assertEquals(1, cpu.size());
        assertEquals(Labels.of("container", "app", "namespace", "shop", "pod", "web-1"), cpu.get(0).getLabels());
    }

    @Test
    void copiesChosenPodLabelsUnderSanitisedNames() throws Exception {
        PodInfo web = new PodInfo("shop", "web-1", "uid-1", "node-a",
                Map.of("app.kubernetes.io/name", "web", "team", "checkout", "secret-ish", "not-copied"), Map.of(),
                "ReplicaSet", "web", List.of());
        PodMetadata pods = byName((namespace, podName) ->
                namespace.equals("shop") && podName.equals("web-1") ? Optional.of(web) : Optional.empty());

        String text = apply(config(List.of("container_fs_usage_bytes"), List.of(), List.of(), true,
                List.of("app.kubernetes.io/name", "team", "absent")), pods);

        assertEquals("""
                # HELP container_fs_usage_bytes fs
                # TYPE container_fs_usage_bytes gauge
                container_fs_usage_bytes{container="app",label_app_kubernetes_io_name="web",label_team="checkout",\
                namespace="shop",pod="web-1"} 5.0
                """, text);
    }

    @Test
    void aSourceKeepsWhatEachLabelSetBecameForItsNextCollection() {
        SeriesFilter.ForSource source = new SeriesFilter(config(List.of(), List.of(), List.of("id"), true, List.of()),
                PodMetadata.NONE).forSource();

        Labels first = source.apply(CADVISOR_LIKE).snapshots().get(0).getDataPoints().get(0).getLabels();
        Labels second = source.apply(CADVISOR_LIKE).snapshots().get(0).getDataPoints().get(0).getLabels();

        assertSame(first, second);
        assertEquals(Labels.of("container", "app", "namespace", "shop", "pod", "web-1"), second);
    }

    @Test
    void aSourceSeesPodLabelsThatChangedBetweenCollections() {
        AtomicReference<String> team = new AtomicReference<>("checkout");
        PodMetadata pods = byName((namespace, podName) -> Optional.of(new PodInfo(namespace, podName, "uid-1",
                "node-a", Map.of("team", team.get()), Map.of(), "ReplicaSet", "web", List.of())));
        SeriesFilter.ForSource source = new SeriesFilter(config(List.of(), List.of(), List.of(), true,
                List.of("team")), pods).forSource();

        source.apply(CADVISOR_LIKE);
        team.set("search");
        Labels labels = source.apply(CADVISOR_LIKE).snapshots().get(0).getDataPoints().get(0).getLabels();

        assertEquals("search", labels.get("label_team"));
    }

    /** Pod metadata that knows pods by namespace and name only, as the filter looks them up. */
    private static PodMetadata byName(BiFunction<String, String, Optional<PodInfo>> lookup) {
        return new PodMetadata() {
            @Override
            public Optional<PodInfo> byUid(String podUid) {
                return Optional.empty();
            }

            @Override
            public Optional<PodInfo> byName(String namespace, String podName) {
                return lookup.apply(namespace, podName);
            }

            @Override
            public Optional<PodInfo> byContainerId(String containerId) {
                return Optional.empty();
            }
        };
    }
}

package io.vedetta.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.metrics.Golden;
import io.vedetta.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The kube_pod_* series as Prometheus scrapes them, from a real registry and the real text writer. */
class PodStateCollectorTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PodCache cache = new PodCache(Duration.ofSeconds(120), clock);
    private final PrometheusRegistry registry = new PrometheusRegistry();

    PodStateCollectorTest() {
        registry.register(new PodStateCollector(cache, () -> true));
    }

    @Test
    void exposesACrashLoopingPodAsKubeStateMetricsDoes() throws IOException {
        cache.put(PodStates.from(Pods.crashLooping("shop", "web-0", "uid-1", 7)));

        List<String> lines = scrape();

        // client_java writes labels in alphabetical order.
        String container = "container=\"app\",namespace=\"shop\",pod=\"web-0\"";
        String uid = "uid=\"uid-1\"";
        assertTrue(lines.contains("kube_pod_container_status_restarts_total{" + container + "," + uid + "} 7.0"),
                String.join("\n", lines));
        assertTrue(lines.contains("kube_pod_container_status_waiting_reason{" + container
                + ",reason=\"CrashLoopBackOff\"," + uid + "} 1.0"));
        assertTrue(lines.contains("kube_pod_container_status_last_terminated_reason{" + container
                + ",reason=\"OOMKilled\"," + uid + "} 1.0"));
        assertTrue(lines.contains("kube_pod_container_status_ready{" + container + "," + uid + "} 0.0"));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("kube_pod_container_status_terminated_reason{")),
                "a waiting container has no current terminated reason");
        assertTrue(lines.contains("kube_pod_status_phase{namespace=\"shop\",phase=\"Running\",pod=\"web-0\"," + uid + "} 1.0"));
        assertEquals(5, lines.stream().filter(l -> l.startsWith("kube_pod_status_phase{")).count());
        assertEquals(4, lines.stream().filter(l -> l.startsWith("kube_pod_status_phase{") && l.endsWith(" 0.0")).count());
        assertTrue(lines.contains("kube_pod_info{created_by_kind=\"ReplicaSet\",created_by_name=\"web-0-rs\","
                + "host_ip=\"10.0.0.5\",host_network=\"false\",namespace=\"shop\",node=\"node-a\",pod=\"web-0\","
                + "pod_ip=\"10.244.1.7\",priority_class=\"high\",uid=\"uid-1\"} 1"));
        assertTrue(lines.contains("vedetta_kube_pods 1.0"));
        assertTrue(lines.contains("vedetta_kube_synced 1.0"));
    }

    @Test
    void matchesTheGoldenExposition() throws IOException {
        cache.put(PodStates.from(Pods.crashLooping("shop", "web-0", "uid-1", 7)));
        cache.put(PodStates.from(Pods.running("shop", "api-0", "uid-2", "d".repeat(64))));

        Golden.assertMatches("kube/pod-state.prom", String.join("\n", scrape()) + "\n");
    }

    @Test
    void exposesEveryOwnerOfAPodAndEmptyOwnerLabelsForABarePodAsKubeStateMetricsDoes() throws IOException {
        Pod owned = Pods.running("shop", "web-0", "uid-1", "a".repeat(64));
        owned.getMetadata().getOwnerReferences().add(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                .withApiVersion("example.com/v1").withKind("Canary").withName("web").withUid("uid-canary").build());
        Pod bare = Pods.running("shop", "debug", "uid-2", "b".repeat(64));
        bare.getMetadata().setOwnerReferences(List.of());
        cache.put(PodStates.from(owned));
        cache.put(PodStates.from(bare));

        List<String> owners = scrape().stream().filter(l -> l.startsWith("kube_pod_owner{")).toList();

        assertEquals(List.of(
                "kube_pod_owner{namespace=\"shop\",owner_is_controller=\"\",owner_kind=\"\",owner_name=\"\",pod=\"debug\",uid=\"uid-2\"} 1.0",
                "kube_pod_owner{namespace=\"shop\",owner_is_controller=\"false\",owner_kind=\"Canary\",owner_name=\"web\",pod=\"web-0\",uid=\"uid-1\"} 1.0",
                "kube_pod_owner{namespace=\"shop\",owner_is_controller=\"true\",owner_kind=\"ReplicaSet\",owner_name=\"web-0-rs\",pod=\"web-0\",uid=\"uid-1\"} 1.0"),
                owners);
    }

    @Test
    void exposesThePodsReadyConditionAndStatusReasonAsKubeStateMetricsDoes() throws IOException {
        Pod evicted = Pods.crashLooping("shop", "web-0", "uid-1", 1);
        evicted.getStatus().setPhase("Failed");
        evicted.getStatus().setReason("Evicted");
        Pod noConditionYet = Pods.running("shop", "api-0", "uid-2", "b".repeat(64));
        noConditionYet.getStatus().setConditions(List.of());
        cache.put(PodStates.from(evicted));
        cache.put(PodStates.from(noConditionYet));

        List<String> lines = scrape();

        String web = "namespace=\"shop\",pod=\"web-0\",uid=\"uid-1\"";
        assertEquals(List.of("kube_pod_status_ready{condition=\"false\"," + web + "} 1.0",
                        "kube_pod_status_ready{condition=\"true\"," + web + "} 0.0",
                        "kube_pod_status_ready{condition=\"unknown\"," + web + "} 0.0"),
                lines.stream().filter(l -> l.startsWith("kube_pod_status_ready{")).toList(),
                "a pod without a Ready condition has no series");
        assertEquals(List.of("kube_pod_status_reason{" + web.replace(",uid", ",reason=\"Evicted\",uid") + "} 1.0"),
                lines.stream().filter(l -> l.startsWith("kube_pod_status_reason{") && l.endsWith(" 1.0")).toList());
        assertEquals(12, lines.stream().filter(l -> l.startsWith("kube_pod_status_reason{")).count(),
                "every reason for every pod");
    }

    @Test
    void aDeletedPodsSeriesDisappearAtDeletionWhileItsMetadataLingers() throws IOException {
        cache.put(PodStates.from(Pods.crashLooping("shop", "web-0", "uid-1", 7)));
        cache.delete("uid-1");

        List<String> lines = scrape();

        assertFalse(lines.stream().anyMatch(l -> l.startsWith("kube_pod")), String.join("\n", lines));
        assertTrue(lines.contains("vedetta_kube_pods 0.0"));
        assertTrue(cache.byUid("uid-1").isPresent());
    }

    @Test
    void servesAPodsNewStateAtTheScrapeAfterItChanged() throws IOException {
        cache.put(PodStates.from(Pods.crashLooping("shop", "web-0", "uid-1", 7)));
        String restarts = "kube_pod_container_status_restarts_total{container=\"app\",namespace=\"shop\","
                + "pod=\"web-0\",uid=\"uid-1\"} ";
        assertTrue(scrape().contains(restarts + "7.0"));

        cache.put(PodStates.from(Pods.crashLooping("shop", "web-0", "uid-1", 8)));
        cache.put(PodStates.from(Pods.running("shop", "api-0", "uid-2", "d".repeat(64))));
        List<String> lines = scrape();

        assertTrue(lines.contains(restarts + "8.0"), String.join("\n", lines));
        assertFalse(lines.contains(restarts + "7.0"));
        assertTrue(lines.contains("vedetta_kube_pods 2.0"));
        cache.delete("uid-1");
        assertTrue(scrape().contains("vedetta_kube_pods 1.0"));
    }

    @Test
    void buildsTheSeriesOnceWhileThePodsAndTheSyncAreUnchanged() {
        AtomicBoolean synced = new AtomicBoolean(false);
        List<PodState> unscheduled = new ArrayList<>();
        PodStateCollector collector = new PodStateCollector(cache, synced::get, () -> List.copyOf(unscheduled));
        cache.put(PodStates.from(Pods.crashLooping("shop", "web-0", "uid-1", 7)));

        MetricSnapshots first = collector.collect();
        assertSame(first, collector.collect(), "the same pods: the series built for them");

        synced.set(true);
        MetricSnapshots afterSync = collector.collect();
        assertNotSame(first, afterSync);
        assertEquals(1.0, gaugeValue(afterSync, "vedetta_kube_synced"));

        unscheduled.add(PodStates.from(Pods.running("shop", "pending-0", "uid-9", "e".repeat(64))));
        MetricSnapshots withUnscheduled = collector.collect();
        assertNotSame(afterSync, withUnscheduled);
        assertEquals(2, withUnscheduled.stream().filter(f -> f.getMetadata().getName().equals(KubeMetrics.snapshotName(KubeMetrics.POD_INFO)))
                .findFirst().orElseThrow().getDataPoints().size());
        assertSame(withUnscheduled, collector.collect());
    }

    private static double gaugeValue(MetricSnapshots snapshots, String name) {
        return snapshots.stream().filter(f -> f.getMetadata().getName().equals(name)).findFirst()
                .map(f -> ((GaugeSnapshot) f).getDataPoints().get(0).getValue()).orElseThrow();
    }

    @Test
    void aRunningPodOnALostNodeIsInPhaseUnknown() throws IOException {
        Pod pod = Pods.running("shop", "web-0", "uid-1", "a".repeat(64));
        pod.getStatus().setReason("NodeLost");
        cache.put(PodStates.from(pod));

        List<String> lines = scrape();

        assertTrue(lines.contains("kube_pod_status_phase{namespace=\"shop\",phase=\"Unknown\",pod=\"web-0\",uid=\"uid-1\"} 1.0"));
        assertTrue(lines.contains("kube_pod_status_phase{namespace=\"shop\",phase=\"Running\",pod=\"web-0\",uid=\"uid-1\"} 0.0"));
    }

    @Test
    void exposesRequestsAndLimitsInBaseUnitsAsKubeStateMetricsDoes() throws IOException {
        Pod pod = Pods.running("shop", "web-0", "uid-1", "a".repeat(64));
        pod.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("250m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("128Mi"))
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("1"))
                .addToLimits("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("2"))
                .build());
        cache.put(PodStates.from(pod));

        List<String> lines = scrape();

        String container = "container=\"" + pod.getSpec().getContainers().get(0).getName() + "\",namespace=\"shop\",node=\""
                + pod.getSpec().getNodeName() + "\",pod=\"web-0\"";
        assertTrue(lines.contains("kube_pod_container_resource_requests{" + container
                + ",resource=\"cpu\",uid=\"uid-1\",unit=\"core\"} 0.25"), String.join("\n", lines));
        assertTrue(lines.contains("kube_pod_container_resource_requests{" + container
                + ",resource=\"memory\",uid=\"uid-1\",unit=\"byte\"} 1.34217728E8"), String.join("\n", lines));
        assertTrue(lines.contains("kube_pod_container_resource_limits{" + container
                + ",resource=\"cpu\",uid=\"uid-1\",unit=\"core\"} 1.0"));
        assertTrue(lines.contains("kube_pod_container_resource_limits{" + container
                + ",resource=\"nvidia_com_gpu\",uid=\"uid-1\",unit=\"integer\"} 2.0"));
    }

    private List<String> scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}

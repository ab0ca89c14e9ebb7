package io.vedetta.agent.kube;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vedetta.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The pods of no node, which the elected cluster collector watches: their kube_pod_* series come through the same
 * collector as the node's own pods, with the scheduling families kube-state-metrics has for them.
 */
class UnscheduledPodStateTest {

    private final PodCache cache = new PodCache(Duration.ofSeconds(120),
            new TestClock(Instant.parse("2026-01-01T00:00:00Z")));
    private final AtomicReference<Collection<PodState>> unscheduled = new AtomicReference<>(List.of());
    private final PrometheusRegistry registry = new PrometheusRegistry();

    UnscheduledPodStateTest() {
        registry.register(new PodStateCollector(cache, () -> true, unscheduled::get));
    }

    static Pod unschedulable(String namespace, String name, String uid) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withUid(uid).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1").withNewResources()
                .addToRequests("cpu", new Quantity("64")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient cpu.")
                .withLastTransitionTime("2026-11-25T10:00:00Z").endCondition().endStatus().build();
    }

    @Test
    void anUnschedulablePodIsPendingUnscheduledAndUnschedulable() throws IOException {
        unscheduled.set(List.of(PodStates.from(unschedulable("shop", "big-0", "uid-big"))));

        String text = scrape();

        String pod = "namespace=\"shop\",pod=\"big-0\",uid=\"uid-big\"";
        assertTrue(text.contains("kube_pod_status_unschedulable{" + pod + "} 1.0"), text);
        assertTrue(text.contains("kube_pod_status_scheduled{condition=\"false\"," + pod + "} 1.0"), text);
        assertTrue(text.contains("kube_pod_status_scheduled{condition=\"true\"," + pod + "} 0.0"), text);
        assertTrue(text.contains("kube_pod_status_phase{namespace=\"shop\",phase=\"Pending\",pod=\"big-0\","
                + "uid=\"uid-big\"} 1.0"), text);
        assertTrue(text.contains("kube_pod_container_resource_requests{container=\"app\",namespace=\"shop\",node=\"\","
                + "pod=\"big-0\",resource=\"cpu\",uid=\"uid-big\",unit=\"core\"} 64.0"), text);
        assertTrue(text.contains("vedetta_kube_pods 0.0"), "the node's own pod count leaves them out: " + text);
    }

    @Test
    void aScheduledPodOfTheNodeHasItsScheduledTimeAndNoUnschedulableSeries() throws IOException {
        Pod running = new PodBuilder(Pods.running("shop", "web-0", "uid-1", "a".repeat(64))).editStatus()
                .addNewCondition().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime("2026-11-25T10:00:00Z").endCondition().endStatus().build();
        cache.put(PodStates.from(running));

        String text = scrape();

        assertTrue(text.contains("kube_pod_status_scheduled{condition=\"true\",namespace=\"shop\",pod=\"web-0\","
                + "uid=\"uid-1\"} 1.0"), text);
        assertTrue(text.contains("kube_pod_status_scheduled_time{namespace=\"shop\",pod=\"web-0\",uid=\"uid-1\"}"),
                text);
        assertFalse(text.contains("kube_pod_status_unschedulable{"), text);
    }

    private String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}

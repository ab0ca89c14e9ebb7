package io.vedetta.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.prometheus.metrics.model.snapshots.Labels;
import org.junit.jupiter.api.Test;

class LabelsMemoTest {

    @Test
    void givesTheSameLabelsForTheSameSeriesFromOneScrapeToTheNext() {
        LabelsMemo memo = new LabelsMemo();

        Labels first = memo.of(KubeMetrics.CONTAINER_READY, "shop", "web-1", "uid-1", "app");

        assertSame(first, memo.of(KubeMetrics.CONTAINER_READY, "shop", "web-1", "uid-1", "app"));
        assertEquals(Labels.of("namespace", "shop", "pod", "web-1", "uid", "uid-1", "container", "app"), first);
        assertNotSame(first, memo.of(KubeMetrics.CONTAINER_READY, "shop", "web-1", "uid-1", "sidecar"));
    }

    @Test
    void forgetsEverythingWhenItHoldsMoreThanThePodsCanHave() {
        LabelsMemo memo = new LabelsMemo();
        Labels kept = memo.of(KubeMetrics.CONTAINER_READY, "shop", "web-1", "uid-1", "app");
        for (int i = 0; i < 300; i++) {
            memo.of(KubeMetrics.CONTAINER_READY, "shop", "gone-" + i, "uid-" + i, "app");
        }

        memo.trim(2);
        assertSame(kept, memo.of(KubeMetrics.CONTAINER_READY, "shop", "web-1", "uid-1", "app"));
        memo.trim(1);
        assertNotSame(kept, memo.of(KubeMetrics.CONTAINER_READY, "shop", "web-1", "uid-1", "app"));
    }
}

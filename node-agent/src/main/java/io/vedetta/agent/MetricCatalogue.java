package io.vedetta.agent;

import io.vedetta.agent.cluster.election.ElectionMetrics;
import io.vedetta.agent.cluster.events.EventsMetrics;
import io.vedetta.agent.cluster.state.ClusterSeries;
import io.vedetta.agent.kube.KubeMetrics;
import io.vedetta.agent.metrics.MetricName;
import io.vedetta.agent.metrics.SourceMetrics;
import io.vedetta.agent.metrics.cgroup.ContainerMetrics;
import io.vedetta.agent.metrics.node.NodeMetrics;
import java.util.ArrayList;
import java.util.List;

/** Every series the agent builds itself, for the checks that keep the README, dashboards and alerts true. */
public final class MetricCatalogue {

    private MetricCatalogue() {
    }

    public static List<MetricName> all() {
        List<MetricName> all = new ArrayList<>();
        all.addAll(KubeMetrics.ALL);
        all.addAll(ClusterSeries.ALL);
        all.addAll(ElectionMetrics.ALL);
        all.addAll(EventsMetrics.ALL);
        all.addAll(NodeMetrics.ALL);
        all.addAll(ContainerMetrics.ALL);
        all.addAll(List.of(SourceMetrics.UP, SourceMetrics.DURATION, SourceMetrics.STALE, SourceMetrics.SERIES));
        return List.copyOf(all);
    }
}

package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one scrape of {@code /metrics} serves: client_java's snapshots (the agent's own families and every family
 * that went through client_java's model) and the kubelet's families passed through as encoded series. No name is
 * in both, and every family name is served once, as in one {@link MetricSnapshots}.
 */
public record ServedSeries(MetricSnapshots snapshots, List<PassThroughFamily> passThrough) {

    public ServedSeries {
        List<PassThroughFamily> sorted = new ArrayList<>(passThrough);
        sorted.sort(Comparator.comparing(PassThroughFamily::familyName));
        passThrough = List.copyOf(sorted);
    }

    /** Everything as client_java snapshots, for what reads the model rather than writes it. */
    public MetricSnapshots materialized() {
        if (passThrough.isEmpty()) {
            return snapshots;
        }
        List<MetricSnapshot> all = new ArrayList<>(snapshots.size() + passThrough.size());
        snapshots.forEach(all::add);
        passThrough.forEach(f -> all.add(f.toSnapshot()));
        return new MetricSnapshots(all);
    }
}

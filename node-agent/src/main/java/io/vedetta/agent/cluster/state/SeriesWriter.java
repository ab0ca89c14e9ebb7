package io.vedetta.agent.cluster.state;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vedetta.agent.metrics.MetricName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one scrape's data points into gauge snapshots, one per family of the catalogue. Every family of the
 * cluster collector is a gauge in kube-state-metrics. A family with no point is still written, with its help, as
 * kube-state-metrics does.
 */
final class SeriesWriter {

    private record Family(String[] labelNames, GaugeSnapshot.Builder builder) {
    }

    private final Map<MetricName, Family> families = new LinkedHashMap<>();

    /** One point of {@code metric}, label values in the catalogue's order of its label names. */
    void gauge(MetricName metric, double value, String... labelValues) {
        Family family = family(metric);
        family.builder().dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of(family.labelNames(), labelValues)).value(value).build());
    }

    /** A point holding a time in Unix seconds, left out when the object has no such time ({@code NaN}). */
    void time(MetricName metric, double seconds, String... labelValues) {
        if (!Double.isNaN(seconds)) {
            gauge(metric, seconds, labelValues);
        }
    }

    /** The family appears in the scrape even without points. */
    void declare(MetricName metric) {
        family(metric);
    }

    /**
     * kube-state-metrics' condition series: three points, status true, false and unknown, 1 for the condition's
     * status and 0 for the others. {@code labelValues} are the metric's labels before {@code status}.
     */
    void condition(MetricName metric, String status, String... labelValues) {
        String[] values = java.util.Arrays.copyOf(labelValues, labelValues.length + 1);
        for (String candidate : new String[] {"true", "false", "unknown"}) {
            values[values.length - 1] = candidate;
            gauge(metric, candidate.equalsIgnoreCase(status) ? 1 : 0, values.clone());
        }
    }

    List<MetricSnapshot> snapshots() {
        List<MetricSnapshot> out = new ArrayList<>(families.size());
        families.values().forEach(f -> out.add(f.builder().build()));
        return out;
    }

    private Family family(MetricName metric) {
        return families.computeIfAbsent(metric, m -> new Family(m.labels().toArray(String[]::new),
                GaugeSnapshot.builder().name(m.name()).help(m.help())));
    }
}

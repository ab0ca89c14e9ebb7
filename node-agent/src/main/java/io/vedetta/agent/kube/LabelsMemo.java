package io.vedetta.agent.kube;

import io.prometheus.metrics.model.snapshots.Labels;
import io.vedetta.agent.metrics.MetricName;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The labels of {@link PodStateCollector}'s series, kept from one scrape to the next: client_java validates every
 * label name of every label set it makes, which on a full node was a fifth of the bytes a scrape allocated. Cleared
 * when it holds far more label sets than the pods of the node can have, so those of departed pods do not pile up.
 * Thread-safe: scrapes may overlap.
 */
final class LabelsMemo {

    /** More label sets than one pod has series, with room for several containers and resources. */
    private static final int PER_POD = 128;

    private record Key(String metric, List<String> values) {
    }

    private final Map<Key, Labels> labels = new ConcurrentHashMap<>();

    /** The labels of {@code metric} with {@code values} in the order of its label names. */
    Labels of(MetricName metric, String... values) {
        return labels.computeIfAbsent(new Key(metric.name(), Arrays.asList(values)),
                key -> Labels.of(metric.labels().toArray(String[]::new), values));
    }

    /** Forgets everything when there are more label sets than {@code pods} pods can have. */
    void trim(int pods) {
        if (labels.size() > PER_POD * (pods + 1)) {
            labels.clear();
        }
    }
}

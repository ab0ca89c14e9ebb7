package io.vedetta.agent.metrics.kubelet;

import io.prometheus.metrics.model.snapshots.Labels;
import io.vedetta.agent.metrics.EncodedLabels;
import java.util.ArrayList;
import java.util.List;

/**
 * One family of a text response as {@link PrometheusTextParser} gathered it, for {@link SnapshotBuilder}: its type
 * and help as declared, and its samples in the order read, each with its shared {@link LabelSet}.
 */
final class ParsedFamily {

    enum Type { COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED }

    /**
     * A relabelled label set. Label sets written differently but equal once relabelled share one instance, so
     * a family holds a series twice exactly when two of its samples have the same instance.
     */
    static final class LabelSet {
        final Labels labels;
        /** The last family ({@link ParsedFamily#id}) that took a sample with this label set: repeats found without hashing. */
        long lastFamily;
        long seenIn;
        /** The place of {@link #labels} in the order of client_java's {@link Labels#compareTo}, among all held. */
        int rank;

        private EncodedLabels encoded;

        LabelSet(Labels labels) {
            this.labels = labels;
        }

        /** Its bytes in every format, made when a family is first passed through with it and kept with it. */
        EncodedLabels encoded() {
            if (encoded == null) {
                encoded = new EncodedLabels(labels);
            }
            return encoded;
        }
    }

    /** {@code timestampMillis} is 0 when the sample had none or timestamps are not kept. */
    record Sample(String name, LabelSet set, double value, long timestampMillis) {
    }

    final long id;
    final String name;
    Type type = Type.UNTYPED;
    String help;
    final List<Sample> samples = new ArrayList<>();

    ParsedFamily(long id, String name) {
        this.id = id;
        this.name = name;
    }
}

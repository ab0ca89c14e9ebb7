package io.vedetta.agent.metrics.kubelet;

import io.prometheus.metrics.model.snapshots.Labels;
import io.vedetta.agent.metrics.EncodedLabels;
import io.vedetta.agent.metrics.exposition.SampleValues;
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
        /** The bound label {@link #withoutBound} and {@link #bound} were made for ({@code le} or {@code quantile}). */
        private String boundLabel;
        private Labels withoutBound;
        private double bound;

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

        /**
         * Its labels without {@code boundLabel}, as a bucket's or quantile's series is keyed in its histogram or
         * summary: made once and kept with the set, because client_java validates every label name of every label
         * set it makes, which for the kubelet's histograms was made anew at every scrape.
         */
        Labels without(String boundLabel) {
            cacheBound(boundLabel);
            return withoutBound;
        }

        /**
         * The value of its label {@code boundLabel} as a number; NaN when it has no such label.
         *
         * @throws IllegalArgumentException when the value is not a number
         */
        double bound(String boundLabel) {
            cacheBound(boundLabel);
            return bound;
        }

        private void cacheBound(String label) {
            if (label.equals(boundLabel)) {
                return;
            }
            String value = labels.get(label);
            double parsed = value == null ? Double.NaN : SampleValues.parse(value);
            Labels.Builder without = Labels.builder();
            labels.forEach(l -> {
                if (!l.getName().equals(label)) {
                    without.label(l.getName(), l.getValue());
                }
            });
            withoutBound = without.build();
            bound = parsed;
            boundLabel = label;
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

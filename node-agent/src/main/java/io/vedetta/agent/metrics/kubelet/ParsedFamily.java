package io.vedetta.agent.metrics.kubelet;

import io.prometheus.metrics.model.snapshots.Labels;
import io.vedetta.agent.metrics.EncodedLabels;
import io.vedetta.agent.metrics.exposition.SampleValues;
import java.util.Arrays;

/**
 * One family of a text response as {@link PrometheusTextParser} gathered it, for {@link SnapshotBuilder}: its type
 * and help as declared, and its samples in the order read, each with its shared {@link LabelSet}. Not thread-safe:
 * one parse at a time.
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

    private static final String[] NO_NAMES = {};
    private static final LabelSet[] NO_SETS = {};
    private static final double[] NO_VALUES = {};

    long id;
    final String name;
    Type type = Type.UNTYPED;
    String help;
    /**
     * The samples read, in the order read, column by column: a sample object each was the largest part of a full
     * node's garbage per scrape. The columns are kept for the family of the same name in the next parse ({@link
     * #reuse}), so a parse of a response like the last one allocates none.
     */
    private int size;
    private String[] names = NO_NAMES;
    private LabelSet[] sets = NO_SETS;
    private double[] values = NO_VALUES;
    /** Null while no sample had a timestamp kept; 0 for a sample without one. */
    private long[] timestamps;

    ParsedFamily(long id, String name) {
        this.id = id;
        this.name = name;
    }

    /** This family, emptied and declared afresh, for a new parse as family {@code newId}. */
    ParsedFamily reuse(long newId) {
        id = newId;
        type = Type.UNTYPED;
        help = null;
        size = 0;
        return this;
    }

    /** Drops its references to names and label sets, which a family kept for the next parse must not hold on to. */
    void forget() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(sets, 0, size, null);
        size = 0;
    }

    /** {@code timestampMillis} is 0 when the sample had none or timestamps are not kept. */
    void add(String sampleName, LabelSet set, double value, long timestampMillis) {
        if (size == names.length) {
            int capacity = Math.max(16, size + (size >> 1));
            names = Arrays.copyOf(names, capacity);
            sets = Arrays.copyOf(sets, capacity);
            values = Arrays.copyOf(values, capacity);
            if (timestamps != null) {
                timestamps = Arrays.copyOf(timestamps, capacity);
            }
        }
        if (timestampMillis != 0 && timestamps == null) {
            timestamps = new long[names.length];
        }
        names[size] = sampleName;
        sets[size] = set;
        values[size] = value;
        if (timestamps != null) {
            timestamps[size] = timestampMillis;
        }
        size++;
    }

    int size() {
        return size;
    }

    /** The name sample {@code i} carries (a histogram's {@code _bucket}, {@code _sum}, {@code _count}). */
    String sampleName(int i) {
        return names[i];
    }

    LabelSet set(int i) {
        return sets[i];
    }

    double value(int i) {
        return values[i];
    }

    /** 0 when sample {@code i} had none or timestamps are not kept. */
    long timestampMillis(int i) {
        return timestamps == null ? 0 : timestamps[i];
    }
}

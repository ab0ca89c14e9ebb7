package io.vedetta.agent.remotewrite;

import java.util.Arrays;

/**
 * One series of the write-ahead log: its reference (what samples in the log carry), its labels
 * ({@link SeriesLabels}), and what the log needs to keep it exact: the newest timestamp appended (older samples
 * would be refused by a receiver, and with them a whole request), the last segment holding a sample of it (it is
 * forgotten once that segment is gone), and how many scrape caches hold it (held series are never forgotten).
 * Those three are guarded by the log's lock.
 */
public final class Series {

    final int ref;
    final byte[] labels;
    private final int hash;
    long lastTimestamp = Long.MIN_VALUE;
    int lastSegment;
    int holders;
    /**
     * Per endpoint with write relabelling, the labels it sends (external labels added, relabelling applied), or
     * {@link #DROPPED}; null for the others, which send {@link #labels} with the external labels merged in.
     */
    volatile Object[] perEndpoint;
    /**
     * Where the external labels go in {@link #labels} ({@link ExternalLabels#plan}), or {@link
     * ExternalLabels#UNPLANNED} until found; the same for every endpoint that merges them.
     */
    int externalPlan = ExternalLabels.UNPLANNED;

    static final Object DROPPED = new Object();

    Series(int ref, byte[] labels) {
        this.ref = ref;
        this.labels = labels;
        this.hash = Arrays.hashCode(labels);
    }

    public int ref() {
        return ref;
    }

    /** The labels, as {@link SeriesLabels} encodes them; not to be modified. */
    public byte[] labels() {
        return labels;
    }

    int labelsHash() {
        return hash;
    }

    @Override
    public String toString() {
        return ref + SeriesLabels.toString(labels);
    }
}

package io.vedetta.agent.remotewrite;

import java.util.Arrays;

/**
 * The samples of one scrape on their way into the write-ahead log, kept by their scrape loop from one scrape to the
 * next. Appended whole, or not at all (a scrape that fails leaves nothing but its {@code up}).
 */
public final class SampleBatch {

    /** Prometheus' staleness marker: a NaN no arithmetic produces, which marks a series as gone. */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

    Series[] series = new Series[64];
    long[] timestamps = new long[64];
    double[] values = new double[64];
    int size;

    public void add(Series s, long timestampMillis, double value) {
        if (size == series.length) {
            int capacity = size * 2;
            series = Arrays.copyOf(series, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        series[size] = s;
        timestamps[size] = timestampMillis;
        values[size] = value;
        size++;
    }

    public int size() {
        return size;
    }

    /** Empties the batch; its arrays are kept, the series it referred to let go. */
    public void clear() {
        Arrays.fill(series, 0, size, null);
        size = 0;
    }
}

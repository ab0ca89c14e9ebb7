package io.vedetta.bench;

import java.util.Arrays;

/** Scrape durations and response sizes of one target; percentiles by nearest rank. */
final class Latencies {

    private long[] nanos = new long[256];
    private int count;
    private long wireBytes;
    private long bodyBytes;

    void add(long durationNanos, long wire, long body) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = durationNanos;
        wireBytes = wire;
        bodyBytes = body;
    }

    int count() {
        return count;
    }

    /** The {@code q} quantile (0 < q <= 1) in milliseconds. */
    double millis(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * count);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    /** The duration of the last scrape added, in milliseconds. */
    double lastMillis() {
        return count == 0 ? Double.NaN : nanos[count - 1] / 1e6;
    }

    double meanMillis() {
        return Arrays.stream(nanos, 0, count).average().orElse(Double.NaN) / 1e6;
    }

    /** Bytes on the wire of the last response (compressed when gzip was asked). */
    long wireBytes() {
        return wireBytes;
    }

    /** Bytes of the last response once decompressed. */
    long bodyBytes() {
        return bodyBytes;
    }
}

package io.vedetta.agent.remotewrite;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write-ahead log's series: its size against its limit, what went in (under Prometheus' remote-storage names, so
 * {@code PrometheusRemoteWriteBehind}-style rules read them), and what it refused or found damaged.
 */
public final class WalMetrics {

    private final MeterRegistry registry;
    private final long maxBytes;
    private final Counter samplesIn;
    private final Counter writtenBytes;
    private final Counter outOfOrder;
    private final Counter writeFailed;
    private final Counter corruptBytes;
    private final AtomicLong highestTimestampMillis = new AtomicLong();

    public WalMetrics(MeterRegistry registry, long maxBytes) {
        this.registry = registry;
        this.maxBytes = maxBytes;
        samplesIn = Counter.builder("prometheus.remote.storage.samples.in")
                .description("Samples appended to the write-ahead log, to compare with what each endpoint sent")
                .register(registry);
        writtenBytes = Counter.builder("vedetta.wal.written").baseUnit("bytes")
                .description("Bytes written to the write-ahead log's segments (samples, framed and compressed)")
                .register(registry);
        outOfOrder = rejected("out_of_order");
        writeFailed = rejected("write_failed");
        corruptBytes = Counter.builder("vedetta.wal.corrupt").baseUnit("bytes")
                .description("Bytes of the write-ahead log that were not whole records (a write torn by a crash, or"
                        + " damage) and were cut off or skipped")
                .register(registry);
        Gauge.builder("prometheus.remote.storage.highest.timestamp.in", highestTimestampMillis, t -> t.get() / 1000.0)
                .baseUnit("seconds")
                .description("The newest sample timestamp appended to the write-ahead log")
                .register(registry);
    }

    private Counter rejected(String reason) {
        return Counter.builder("vedetta.wal.samples.rejected")
                .description("Samples not appended to the write-ahead log: out_of_order (no newer than the last sample"
                        + " of their series, which a receiver would refuse), write_failed (the disk write failed)")
                .tag("reason", reason)
                .register(registry);
    }

    /** Gauges that read the log itself, once it is open. */
    void bind(Wal wal) {
        Gauge.builder("vedetta.wal.size", wal, Wal::bytes).baseUnit("bytes")
                .description("Bytes of the write-ahead log's segments on disk").register(registry);
        Gauge.builder("vedetta.wal.max", () -> maxBytes).baseUnit("bytes")
                .description("The write-ahead log's size limit (remoteWrite.walMaxBytes)").register(registry);
        Gauge.builder("vedetta.wal.segments", wal, Wal::segmentCount)
                .description("Segment files of the write-ahead log").register(registry);
        Gauge.builder("vedetta.wal.series", wal, Wal::seriesCount)
                .description("Series the write-ahead log knows (held by a scrape, or in a segment on disk)")
                .register(registry);
    }

    void appended(long samples, long highestTimestamp) {
        samplesIn.increment(samples);
        highestTimestampMillis.accumulateAndGet(highestTimestamp, Math::max);
    }

    void written(long bytes) {
        writtenBytes.increment(bytes);
    }

    void outOfOrder(long samples) {
        if (samples > 0) {
            outOfOrder.increment(samples);
        }
    }

    void writeFailed(long samples) {
        writeFailed.increment(samples);
    }

    void corrupt(long bytes) {
        corruptBytes.increment(bytes);
    }
}

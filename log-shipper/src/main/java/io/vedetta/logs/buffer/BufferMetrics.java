package io.vedetta.logs.buffer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What the spilling buffer counts; the gauges are set under the buffer's lock. */
final class BufferMetrics {

    static final String BYTES = "vedetta.log.buffer.bytes";
    static final String RECORDS = "vedetta.log.buffer.records";
    static final String FULL = "vedetta.log.buffer.full";
    static final String SPILLED = "vedetta.log.buffer.spilled";
    static final String REPLAYED = "vedetta.log.buffer.replayed";
    static final String CORRUPT = "vedetta.log.buffer.corrupt";
    static final String RETRIES = "vedetta.log.buffer.retries";
    static final String STALLS = "vedetta.log.buffer.stalls";
    static final String DROPPED = "vedetta.log.buffer.dropped";
    static final String DEAD_LETTERED = "vedetta.log.buffer.dead.lettered";
    static final String ERRORS = "vedetta.log.buffer.errors";
    private static final String ERRORS_HELP = "Spill segment writes and reads that failed, and batches a sink that"
            + " retries by itself failed before it was closed";

    final AtomicLong memoryBytes = new AtomicLong();
    final AtomicLong diskBytes = new AtomicLong();
    final AtomicLong records = new AtomicLong();
    final AtomicInteger full = new AtomicInteger();
    final Counter spilled;
    final Counter replayed;
    final Counter corrupt;
    final Counter retries;
    final Counter stalls;
    final Counter dropped;
    final Counter writeErrors;
    final Counter readErrors;
    final Counter sinkErrors;
    /** By {@link SegmentFormat.Problem#reason()}. */
    private final Map<String, Counter> deadLettered;

    BufferMetrics(MeterRegistry registry) {
        Gauge.builder(BYTES, memoryBytes, AtomicLong::get).tag("medium", "memory")
                .description("Serialised records the buffer holds, in memory and in spill segments on disk")
                .register(registry);
        Gauge.builder(BYTES, diskBytes, AtomicLong::get).tag("medium", "disk")
                .description("Serialised records the buffer holds, in memory and in spill segments on disk")
                .register(registry);
        Gauge.builder(RECORDS, records, AtomicLong::get)
                .description("Records accepted by the buffer and not yet delivered by the sink behind it")
                .register(registry);
        Gauge.builder(FULL, full, AtomicInteger::get)
                .description("1 while memory and disk are both full and new batches wait (reading pauses)")
                .register(registry);
        spilled = Counter.builder(SPILLED)
                .description("Records written to spill segments: the sink failed or stalled and the memory buffer was full")
                .register(registry);
        replayed = Counter.builder(REPLAYED)
                .description("Records found in spill segments left by an earlier run and sent again")
                .register(registry);
        corrupt = Counter.builder(CORRUPT)
                .description("Spill segments with a corrupt or cut-short part (a crash mid-write); that part is skipped")
                .register(registry);
        retries = Counter.builder(RETRIES)
                .description("Batches sent again after the sink behind the buffer failed them")
                .register(registry);
        stalls = Counter.builder(STALLS)
                .description("Times the sink behind the buffer delivered nothing for logs.buffer.stallTimeout while"
                        + " batches waited for it; the buffer then took them into memory and onto disk")
                .register(registry);
        dropped = Counter.builder(DROPPED)
                .description("Records acknowledged and left out: documents that cannot be serialised, and records that"
                        + " can be neither spilled nor kept as a dead letter")
                .register(registry);
        deadLettered = Map.of("frame_limit", deadLetterCounter(registry, "frame_limit"),
                "invalid_text", deadLetterCounter(registry, "invalid_text"));
        writeErrors = Counter.builder(ERRORS).tag("op", "write")
                .description(ERRORS_HELP)
                .register(registry);
        readErrors = Counter.builder(ERRORS).tag("op", "read")
                .description(ERRORS_HELP)
                .register(registry);
        sinkErrors = Counter.builder(ERRORS).tag("op", "sink")
                .description(ERRORS_HELP)
                .register(registry);
    }

    private static Counter deadLetterCounter(MeterRegistry registry, String reason) {
        return Counter.builder(DEAD_LETTERED).tag("reason", reason)
                .description("Records a spill segment cannot frame (an id or route over 65,535 bytes, text UTF-8 cannot"
                        + " carry), kept in <stateDir>/buffer/dead-letters.ndjson with the reason and acknowledged")
                .register(registry);
    }

    Counter deadLettered(String reason) {
        return deadLettered.get(reason);
    }
}

package io.vedetta.logs.buffer;

import io.vedetta.logs.settings.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link SpillingSink}.
 *
 * @param dir             where spill segments live ({@code <logs.stateDir>/buffer})
 * @param memoryBytes     serialised records kept in memory before spilling ({@code logs.buffer.memoryBytes})
 * @param diskBytes       bytes of spill segments on disk; when memory and disk are full, reading pauses
 *                        ({@code logs.buffer.diskBytes}); 0 turns spilling off
 * @param maxRecords      records held (accepted, not yet delivered) before new batches wait; each keeps about
 *                        300 bytes of acknowledgement bookkeeping on the heap ({@code logs.buffer.maxRecords})
 * @param maxInFlight     batches handed to the inner sink and not yet finished ({@code logs.buffer.maxInFlight})
 * @param maxRetryBackoff longest wait before re-sending a batch the inner sink failed ({@code logs.buffer.maxRetryBackoff})
 * @param stallTimeout    how long the inner sink may deliver nothing while a batch waits for it before the buffer
 *                        takes batches into memory and onto disk rather than letting the reader wait
 *                        ({@code logs.buffer.stallTimeout})
 * @param acknowledge     when the source hears that a record is safe ({@code logs.buffer.acknowledge})
 */
public record BufferConfig(Path dir, long memoryBytes, long diskBytes, int maxRecords, int maxInFlight,
        Duration maxRetryBackoff, Duration stallTimeout, Acknowledge acknowledge) {

    /** When a record's acknowledgement goes back to its file, letting the saved position move past it. */
    public enum Acknowledge {
        /** When the sink behind the buffer delivered it: nothing is acknowledged that is not delivered. */
        DELIVERED,
        /**
         * When it is delivered or written to a spill segment and synced: records on disk survive restarts and
         * no longer hold their files' bookkeeping on the heap, so the disk budget, not the heap, bounds an outage.
         */
        STORED
    }

    public BufferConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(acknowledge, "acknowledge");
        if (memoryBytes < 1) {
            throw new InvalidSettingException("buffer.memoryBytes", "must be at least 1 byte, got " + memoryBytes);
        }
        if (diskBytes < 0) {
            throw new InvalidSettingException("buffer.diskBytes", "must not be negative, got " + diskBytes);
        }
        if (maxRecords < 1) {
            throw new InvalidSettingException("buffer.maxRecords", "must be at least 1, got " + maxRecords);
        }
        if (maxInFlight < 1) {
            throw new InvalidSettingException("buffer.maxInFlight", "must be at least 1, got " + maxInFlight);
        }
        if (maxRetryBackoff.compareTo(Duration.ofMillis(100)) < 0) {
            throw new InvalidSettingException("buffer.maxRetryBackoff", "must be at least 100ms, got "
                    + maxRetryBackoff);
        }
        if (stallTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new InvalidSettingException("buffer.stallTimeout", "must be at least 100ms, got " + stallTimeout);
        }
    }

    /**
     * The buffer of a pipeline whose state lives in {@code stateDir}, with the defaults of the agent. Memory is the
     * first step only: a failed or stalled sink behind a reader at full speed fills it within a second, and every
     * record it holds is promoted and collected by a full GC on the chart's 256 MiB heap (64 MiB and 400,000
     * records let the heap grow to its limit, 370 MiB RSS); the disk takes the rest of an outage. A stall of 5 s is
     * far longer than a bulk request to a loaded node takes, and far shorter than a rotated file lives.
     */
    public static BufferConfig defaults(Path stateDir) {
        return new BufferConfig(stateDir.resolve("buffer"), 8L << 20, 512L << 20, 100_000, 4, Duration.ofSeconds(30),
                Duration.ofSeconds(5), Acknowledge.DELIVERED);
    }

    /**
     * Size at which the segment being written is closed and a new one started. Small enough that a restart,
     * which sends a partly delivered segment whole again, repeats little; large enough to keep files few.
     */
    long segmentBytes() {
        return Math.max(4096, Math.min(8L << 20, diskBytes / 16));
    }
}

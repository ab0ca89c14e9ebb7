package io.vedetta.logs.buffer;

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
 */
public record BufferConfig(Path dir, long memoryBytes, long diskBytes, int maxRecords, int maxInFlight,
        Duration maxRetryBackoff) {

    public BufferConfig {
        Objects.requireNonNull(dir, "dir");
        if (memoryBytes < 1) {
            throw new IllegalArgumentException("logs.buffer.memoryBytes must be at least 1 byte, got " + memoryBytes);
        }
        if (diskBytes < 0) {
            throw new IllegalArgumentException("logs.buffer.diskBytes must not be negative, got " + diskBytes);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("logs.buffer.maxRecords must be at least 1, got " + maxRecords);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("logs.buffer.maxInFlight must be at least 1, got " + maxInFlight);
        }
        if (maxRetryBackoff.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("logs.buffer.maxRetryBackoff must be at least 100ms, got "
                    + maxRetryBackoff);
        }
    }

    /** The buffer of a pipeline whose state lives in {@code stateDir}, with the defaults of the agent. */
    public static BufferConfig defaults(Path stateDir) {
        return new BufferConfig(stateDir.resolve("buffer"), 64L << 20, 512L << 20, 400_000, 4, Duration.ofSeconds(30));
    }

    /** Size at which the segment being written is closed and a new one started. */
    long segmentBytes() {
        return Math.max(4096, Math.min(64L << 20, diskBytes / 8));
    }
}

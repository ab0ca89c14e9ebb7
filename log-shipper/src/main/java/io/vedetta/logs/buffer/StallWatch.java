package io.vedetta.logs.buffer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells a stalled inner sink from a slow one. The Elasticsearch sink retries by itself and never fails a batch, so a
 * dead cluster shows only as silence: a stall is {@code logs.buffer.stallTimeout} in which a batch waited for a slot
 * and the inner sink acknowledged no record. Progress seen at any look restarts the clock, so a sink that delivers,
 * however slowly, is never stalled. Times are {@link io.vedetta.time.Ticker} nanoseconds.
 *
 * <p>{@link #delivered()} is lock-free (every acknowledgement passes here); the rest runs under the buffer's lock.
 */
final class StallWatch {

    private final long timeoutNanos;
    /** Records the inner sink acknowledged so far. */
    private final AtomicLong delivered = new AtomicLong();
    private long deliveredSeen;
    private long progressSeenAt;

    /** {@code now}: when the watch starts, as if a delivery had been seen then. */
    StallWatch(Duration timeout, long now) {
        this.timeoutNanos = timeout.toNanos();
        this.progressSeenAt = now;
    }

    /** One more record acknowledged by the inner sink. */
    void delivered() {
        delivered.incrementAndGet();
    }

    /**
     * Looks at the sink at {@code now}: true when the batch waiting since {@code heldSince} has waited the timeout
     * without a delivery since.
     */
    boolean stalled(long heldSince, long now) {
        long seen = delivered.get();
        if (seen != deliveredSeen) {
            deliveredSeen = seen;
            progressSeenAt = now;
        }
        return now >= deadline(heldSince);
    }

    /** When the batch waiting since {@code heldSince} makes a stall, unless a delivery is seen before. */
    long deadline(long heldSince) {
        return Math.max(heldSince, progressSeenAt) + timeoutNanos;
    }
}

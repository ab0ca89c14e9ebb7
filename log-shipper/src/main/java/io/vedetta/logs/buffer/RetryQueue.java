package io.vedetta.logs.buffer;

import io.vedetta.time.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The batches the buffer has taken, queued for the inner sink in the order they came, and when the next may go. At
 * most {@code logs.buffer.maxInFlight} are with the inner sink at a time, but only one while it fails, and that one
 * after a jittered exponential backoff: the oldest goes first when the sink recovers. What a failed batch left
 * undelivered goes back in its place, ahead of every later batch and behind earlier retries still waiting. Times are
 * {@link io.vedetta.time.Ticker} nanoseconds. Under the buffer's lock.
 */
final class RetryQueue {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final int maxInFlight;
    private final Backoff backoff;
    private long nextSeq;
    private int inFlight;
    /** Batches the inner sink failed since it last delivered one. */
    private int failuresInARow;
    private long retryAt = Long.MIN_VALUE;

    RetryQueue(int maxInFlight, Duration maxBackoff) {
        this.maxInFlight = maxInFlight;
        this.backoff = Backoff.jittered(FIRST_BACKOFF, maxBackoff);
    }

    /** The place of the next batch in the order. */
    long nextSeq() {
        return nextSeq++;
    }

    void add(Queued entry) {
        queue.addLast(entry);
    }

    /** Whether a batch taken now would find a slot: fewer queued and in flight than {@code maxInFlight}. */
    boolean slotFree() {
        return queue.size() + inFlight < maxInFlight;
    }

    /** Whether anything is queued or with the inner sink. */
    boolean busy() {
        return !queue.isEmpty() || inFlight > 0;
    }

    /** The next batch to hand to the inner sink at {@code now}, or null when none may go yet. */
    Queued take(long now, boolean failing) {
        if (!ready(failing) || now < retryAt) {
            return null;
        }
        inFlight++;
        return queue.pollFirst();
    }

    /** When a batch may go next without anything else happening first: a retry's time, or never. */
    long readyAt(boolean failing) {
        return ready(failing) ? retryAt : Long.MAX_VALUE;
    }

    private boolean ready(boolean failing) {
        return !queue.isEmpty() && inFlight < (failing ? 1 : maxInFlight);
    }

    /** A batch was delivered: the next failure waits the shortest backoff again. */
    void delivered() {
        inFlight--;
        failuresInARow = 0;
    }

    /** A batch failed at {@code now}; {@code rest} (null: nothing) is what it left undelivered, to send again. */
    void failed(Queued rest, long now) {
        inFlight--;
        if (rest != null) {
            requeue(rest);
        }
        retryAt = now + TimeUnit.MILLISECONDS.toNanos(backoff.delayMillis(failuresInARow++));
    }

    /** A batch ended without a delivery or a retry: the buffer is closed, or its records could not be read back. */
    void dropped() {
        inFlight--;
    }

    /**
     * Replaces queued batches from the oldest on by what {@code store} makes of each, until it returns null; that one
     * and the rest stay as they are.
     */
    void replaceFromOldest(UnaryOperator<Queued> store) {
        ArrayDeque<Queued> rebuilt = new ArrayDeque<>(queue.size());
        boolean storing = true;
        for (Queued entry : queue) {
            Queued stored = storing ? store.apply(entry) : null;
            storing = stored != null;
            rebuilt.addLast(storing ? stored : entry);
        }
        queue.clear();
        queue.addAll(rebuilt);
    }

    private void requeue(Queued retry) {
        ArrayDeque<Queued> earlier = new ArrayDeque<>();
        while (!queue.isEmpty() && queue.peekFirst().seq < retry.seq) {
            earlier.addLast(queue.pollFirst());
        }
        queue.addFirst(retry);
        while (!earlier.isEmpty()) {
            queue.addFirst(earlier.pollLast());
        }
    }
}

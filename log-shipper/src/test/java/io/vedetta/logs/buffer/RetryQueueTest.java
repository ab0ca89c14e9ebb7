package io.vedetta.logs.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches go to the inner sink in order; a failed one goes back in its place and waits its backoff. */
class RetryQueueTest {

    private static final long MS = 1_000_000L;

    private static Queued.Live batch(long seq) {
        return new Queued.Live(seq, List.of());
    }

    private static List<Long> drain(RetryQueue queue, long now, boolean failing) {
        List<Long> order = new ArrayList<>();
        Queued next;
        while ((next = queue.take(now, failing)) != null) {
            order.add(next.seq);
        }
        return order;
    }

    @Test
    void aFailedBatchGoesBackAheadOfLaterOnesAndBehindEarlierRetries() {
        RetryQueue queue = new RetryQueue(4, Duration.ofSeconds(30));
        for (int i = 0; i < 4; i++) {
            queue.add(batch(queue.nextSeq()));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), drain(queue, 0, false));
        queue.add(batch(queue.nextSeq()));
        queue.failed(batch(2), 0);
        queue.failed(batch(1), 0);
        queue.failed(batch(3), 0);
        queue.delivered();
        assertEquals(List.of(1L, 2L, 3L, 4L), drain(queue, Long.MAX_VALUE - 1, false));
    }

    @Test
    void whileTheSinkFailsOneBatchAtATimeGoesAfterItsBackoff() {
        RetryQueue queue = new RetryQueue(4, Duration.ofSeconds(30));
        Queued first = batch(queue.nextSeq());
        queue.add(first);
        queue.add(batch(queue.nextSeq()));
        assertSame(first, queue.take(0, false));
        queue.failed(first, 0);

        // The first backoff is 50 to 100 ms.
        assertNull(queue.take(50 * MS - 1, true), "not before its backoff");
        long readyAt = queue.readyAt(true);
        assertTrue(readyAt >= 50 * MS && readyAt <= 100 * MS, "first backoff: " + readyAt);
        assertSame(first, queue.take(100 * MS, true), "the failed batch first");
        assertNull(queue.take(100 * MS, true), "one at a time while failing");
        assertEquals(Long.MAX_VALUE, queue.readyAt(true), "nothing to wait for until the batch in flight ends");

        queue.delivered();
        assertEquals(List.of(1L), drain(queue, 100 * MS, false));
    }

    @Test
    void backoffGrowsWithFailuresInARowAndStartsOverAfterADelivery() {
        RetryQueue queue = new RetryQueue(1, Duration.ofSeconds(30));
        Queued only = batch(queue.nextSeq());
        queue.add(only);
        long now = 0;
        for (int failure = 0; failure < 4; failure++) {
            assertSame(only, queue.take(now, failure > 0));
            queue.failed(only, now);
            long wait = queue.readyAt(true) - now;
            long base = 100 * MS << failure;
            assertTrue(wait >= base / 2 && wait <= base, "failure " + failure + " waits " + wait);
            now += wait;
        }
        assertSame(only, queue.take(now, true));
        queue.delivered();
        queue.add(only);
        assertSame(only, queue.take(now, false));
        queue.failed(only, now);
        assertTrue(queue.readyAt(true) - now <= 100 * MS, "the first backoff again");
    }
}

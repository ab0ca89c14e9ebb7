package io.vedetta.logs.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A stall is the timeout without a delivery while a batch waits; any delivery seen restarts the clock. */
class StallWatchTest {

    private static final long SECOND = 1_000_000_000L;
    /** A ticker's origin is arbitrary: negative times must work as well as positive ones. */
    private static final long START = -42 * SECOND;

    @Test
    void aBatchThatWaitsTheTimeoutWithoutADeliveryMakesAStall() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(5), START);
        long held = START + 10 * SECOND;
        assertFalse(watch.stalled(held, held + 5 * SECOND - 1));
        assertTrue(watch.stalled(held, held + 5 * SECOND));
    }

    @Test
    void deliveriesSeenWhileABatchWaitsRestartTheClock() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(5), START);
        long held = START;
        for (int second = 4; second < 30; second += 4) {
            watch.delivered();
            assertFalse(watch.stalled(held, held + second * SECOND), "a delivery in the last 4 s: " + second);
        }
        assertEquals(held + 28 * SECOND + 5 * SECOND, watch.deadline(held), "5 s after the last delivery seen");
        assertTrue(watch.stalled(held, held + 33 * SECOND));
    }

    @Test
    void aDeliveryBeforeTheBatchCameDoesNotDelayItsStall() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(5), START);
        watch.delivered();
        assertFalse(watch.stalled(START + SECOND, START + SECOND), "progress seen at 1 s, no batch waiting long");
        long held = START + 3 * SECOND;
        assertEquals(held + 5 * SECOND, watch.deadline(held));
    }
}

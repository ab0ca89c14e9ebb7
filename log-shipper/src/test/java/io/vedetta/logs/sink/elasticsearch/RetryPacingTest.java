package io.vedetta.logs.sink.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How often and how hard the sink retries: jittered exponential backoff and the AIMD request limit. */
class RetryPacingTest {

    @Test
    void backoffDoublesFromInitialToTheCapWithinTheJitterRange() {
        Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.0);
        Backoff highest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.999999);

        assertEquals(50, lowest.delayMillis(0));
        assertEquals(99, highest.delayMillis(0));
        assertEquals(200, lowest.delayMillis(2));
        assertEquals(1000, lowest.delayMillis(10), "capped at 2 s, of which at least half");
        assertEquals(1999, highest.delayMillis(62), "no overflow for long outages");
    }

    @Test
    void rejectionsHalveTheLimitOncePerEpochAndSuccessesRaiseItBackToTheMaximum() {
        AdaptiveLimit limit = new AdaptiveLimit(8);
        long sentBefore = limit.epoch();

        limit.overloaded(sentBefore);
        limit.overloaded(sentBefore);
        limit.overloaded(sentBefore);
        assertEquals(4, limit.permits(), "three 429s of requests sent under the old limit halve it once");
        limit.overloaded(limit.epoch());
        limit.overloaded(limit.epoch());
        limit.overloaded(limit.epoch());
        assertEquals(1, limit.permits(), "never below one request");

        int successes = 0;
        while (limit.permits() < 8) {
            limit.succeeded();
            successes++;
        }
        assertEquals(8, limit.permits());
        assertEquals(true, successes > 7 && successes < 64, "additive: about one more per window, got " + successes);
        limit.succeeded();
        assertEquals(8, limit.permits(), "never above the configured maximum");
    }

    @Test
    void onlyRejectionsAndServerErrorsAreRetried() {
        assertEquals(ItemFate.DELIVERED, ItemFate.of(201));
        assertEquals(ItemFate.DELIVERED, ItemFate.of(409));
        assertEquals(ItemFate.RETRY, ItemFate.of(429));
        assertEquals(ItemFate.RETRY, ItemFate.of(500));
        assertEquals(ItemFate.RETRY, ItemFate.of(503));
        assertEquals(ItemFate.DEAD_LETTER, ItemFate.of(400));
        assertEquals(ItemFate.DEAD_LETTER, ItemFate.of(404));
    }
}

package io.vedetta.logs.sink.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How hard the sink retries: the AIMD request limit, and which item statuses are retried. */
class RetryPacingTest {

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

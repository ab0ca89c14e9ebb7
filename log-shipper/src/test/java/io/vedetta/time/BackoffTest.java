package io.vedetta.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

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
}

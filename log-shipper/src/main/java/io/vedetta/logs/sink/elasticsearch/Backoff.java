package io.vedetta.logs.sink.elasticsearch;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Jittered exponential backoff: attempt n waits between half and all of {@code initial * 2^n}, capped at
 * {@code max}, so many agents retrying after one outage spread out instead of arriving together.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The wait before retry number {@code attempt} (0 for the first retry). */
    long delayMillis(int attempt) {
        long base = attempt >= 30 ? maxMillis : Math.min(maxMillis, initialMillis << attempt);
        return base / 2 + (long) (random.getAsDouble() * (base - base / 2));
    }
}

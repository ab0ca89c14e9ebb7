package io.vedetta.time;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Jittered exponential backoff: attempt n waits between half and all of {@code initial * 2^n}, capped at
 * {@code max}, so many agents retrying after one outage spread out instead of arriving together. Used wherever the
 * agent retries: Elasticsearch requests and items, the log buffer's batches, the Kubernetes informers.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;

    /** {@code random} gives values in [0, 1); tests pass fixed ones. */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** A backoff whose jitter comes from {@link ThreadLocalRandom}. */
    public static Backoff jittered(Duration initial, Duration max) {
        return new Backoff(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The wait before retry number {@code attempt} (0 for the first retry). */
    public long delayMillis(int attempt) {
        long base = attempt >= 30 ? maxMillis : Math.min(maxMillis, initialMillis << attempt);
        return base / 2 + (long) (random.getAsDouble() * (base - base / 2));
    }
}

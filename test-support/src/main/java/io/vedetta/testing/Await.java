package io.vedetta.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline, never for a fixed time. */
public final class Await {

    /** Long: only a failing test waits it out, and a machine shared with other builds can be very slow. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails, naming {@code what}, when it still does not after a while. */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}

package io.vedetta.time;

import java.util.concurrent.TimeUnit;

/**
 * Monotonic time in nanoseconds, and waiting for it: what timers that must not follow the wall clock use (a stall
 * timeout, a retry's backoff, a drain deadline). {@link #SYSTEM} reads {@link System#nanoTime()}; a test passes a
 * ticker it moves by hand, so a timer fires when the test moves time, not when a sleep happens to end.
 */
public interface Ticker {

    /** {@link System#nanoTime()}, waiting with {@link Object#wait(long, int)}. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public void awaitUntil(Object monitor, long deadline) throws InterruptedException {
            if (deadline == Long.MAX_VALUE) {
                monitor.wait();
            } else {
                TimeUnit.NANOSECONDS.timedWait(monitor, deadline - System.nanoTime());
            }
        }
    };

    /** Now, in nanoseconds from an arbitrary origin: only differences mean something. */
    long nanos();

    /**
     * Waits on {@code monitor}, whose lock the caller holds, until it is notified or {@link #nanos()} reaches
     * {@code deadline} ({@link Long#MAX_VALUE}: no deadline). Like {@link Object#wait()} it may return early, so
     * callers check what they wait for in a loop.
     */
    void awaitUntil(Object monitor, long deadline) throws InterruptedException;
}

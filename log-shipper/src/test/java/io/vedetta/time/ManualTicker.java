package io.vedetta.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Ticker} the test moves by hand. Threads that wait on it wait until they are notified or the test
 * {@linkplain #advance advances} the time (real time passing never wakes them), and the test can wait until they are
 * waiting again having looked at the new time ({@link #awaitWaiters}): after that, whatever the code under test does
 * at that time has been done, so a test can assert that something has not happened yet and mean it.
 */
public final class ManualTicker implements Ticker {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** A waiting thread: the monitor it waits on and the time it went to wait at. */
    private record Waiter(Object monitor, long since) {
    }

    private final Object lock = new Object();
    private final Map<Thread, Waiter> waiters = new HashMap<>();
    private volatile long now;

    @Override
    public long nanos() {
        return now;
    }

    @Override
    public void awaitUntil(Object monitor, long deadline) throws InterruptedException {
        synchronized (lock) {
            if (now >= deadline) {
                return;
            }
            waiters.put(Thread.currentThread(), new Waiter(monitor, now));
            lock.notifyAll();
        }
        try {
            // The caller holds the monitor until this releases it, so an advance cannot notify before the wait.
            monitor.wait();
        } finally {
            synchronized (lock) {
                waiters.remove(Thread.currentThread());
                lock.notifyAll();
            }
        }
    }

    /** Moves time on and wakes every waiting thread, to look at the new time. */
    public void advance(Duration by) {
        List<Object> monitors = new ArrayList<>();
        synchronized (lock) {
            now += by.toNanos();
            waiters.values().forEach(w -> monitors.add(w.monitor()));
        }
        for (Object monitor : monitors) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /**
     * Returns once {@code threads} threads wait on this ticker having gone to wait at the current time, that is after
     * the last {@link #advance}; fails after a while (of real time) if they do not.
     */
    public void awaitWaiters(int threads) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        synchronized (lock) {
            while (waiters.values().stream().filter(w -> w.since() == now).count() < threads) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + threads + " threads to wait at " + now
                            + " ns; waiting: " + waiters.values());
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}

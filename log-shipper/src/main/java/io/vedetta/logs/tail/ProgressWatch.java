package io.vedetta.logs.tail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when the tailer is stuck, from a thread of its own: the reader thread reports what it is about to do
 * before each call that may block ({@link #beat}), and the files it could not get to ({@link #starving}). Stuck is
 * no beat for {@code logs.stuckTimeout} (blocked in one call: a file system that hangs, an open the kernel holds
 * back) or a file with unread bytes waiting that long for its turn. Then readiness fails with the reason, the
 * episode is counted in {@code vedetta_log_tailer_stuck_total{reason}} and logged once, and its end is logged too.
 * Waiting for a full next stage is not stuck: the reader beats while it waits, and {@code vedetta_log_paused} says so.
 */
final class ProgressWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);

    private final long timeoutNanos;
    private final TailMetrics metrics;
    private final ScheduledExecutorService timer;
    private volatile long beatNanos = System.nanoTime();
    private volatile String doing = "starting";
    private volatile Path doingPath;
    private volatile long starvingSinceNanos = -1;
    private volatile String starving = "";
    private volatile String stuck;

    ProgressWatch(Duration timeout, TailMetrics metrics) {
        this.timeoutNanos = timeout.toNanos();
        this.metrics = metrics;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vedetta-log-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        long period = Math.max(50, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    /** The reader thread is alive and about to do {@code what} (to {@code path}, or null). */
    void beat(String what, Path path) {
        beatNanos = System.nanoTime();
        doing = what;
        doingPath = path;
    }

    /**
     * Files with unread bytes have waited for their turn since {@code sinceNanos} ({@link System#nanoTime()}, -1:
     * none waits); {@code which} names them for the reason.
     */
    void starving(long sinceNanos, String which) {
        starving = which;
        starvingSinceNanos = sinceNanos;
    }

    /** True when the reader thread has not beaten for {@code nanos}: it is blocked in a call. */
    boolean silentFor(long nanos) {
        return System.nanoTime() - beatNanos > nanos;
    }

    Optional<String> stuckReason() {
        return Optional.ofNullable(stuck);
    }

    private void check() {
        long now = System.nanoTime();
        String kind = null;
        String reason = null;
        long silent = now - beatNanos;
        long starved = starvingSinceNanos;
        if (silent > timeoutNanos) {
            Path path = doingPath;
            kind = "blocked";
            reason = "log tailer stuck for " + seconds(silent) + " " + doing + (path == null ? "" : " " + path)
                    + " (logs.stuckTimeout)";
        } else if (starved >= 0 && now - starved > timeoutNanos) {
            kind = "starved";
            reason = "log tailer has left files with unread bytes unread for " + seconds(now - starved) + " ("
                    + starving + "; logs.stuckTimeout)";
        }
        if (reason != null && stuck == null) {
            metrics.stuck(kind);
            LOG.error("{}; /readyz fails until it moves again", reason);
        } else if (reason == null && stuck != null) {
            LOG.info("log tailer moves again");
        }
        stuck = reason;
    }

    private static String seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos) + "s";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package io.vedetta.agent.metrics;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One source inside {@link SourceCollector}: at most one collection in flight (a slow source is waited for
 * again by the next scrape rather than started twice), a collection begun less than the share window ago served
 * again rather than repeated, and the last good snapshot with the time it was taken.
 */
final class SourceState {

    /** One finished collection: filtered series on success, otherwise the failure. */
    record Outcome(SeriesFilter.Result served, long nanos, Throwable failure) {
    }

    private final MetricSource source;
    private final Duration timeout;
    private final SeriesFilter.ForSource filter;
    private final MetricsErrors errors;
    private Future<Outcome> inFlight;
    private long inFlightBeganNanos;
    private SeriesFilter.Result lastGood;
    private long lastGoodNanos;

    SourceState(MetricSource source, Duration timeout, SeriesFilter filter, MetricsErrors errors) {
        this.source = source;
        this.timeout = timeout;
        this.filter = filter.forSource();
        this.errors = errors;
    }

    String name() {
        return source.name();
    }

    Duration timeout() {
        return timeout;
    }

    FamilyNames families() {
        return source.families();
    }

    /** The collection in flight, or one begun less than {@code shareWindowNanos} ago, else a new one. */
    synchronized Future<Outcome> begin(ExecutorService executor, long shareWindowNanos) {
        long now = System.nanoTime();
        if (inFlight == null || inFlight.isDone() && now - inFlightBeganNanos >= shareWindowNanos) {
            inFlight = executor.submit(this::collect);
            inFlightBeganNanos = now;
        }
        return inFlight;
    }

    /** The last good snapshot if it is younger than {@code maxAge}, else null. */
    synchronized SeriesFilter.Result lastGood(Duration maxAge, long nowNanos) {
        if (lastGood == null || nowNanos - lastGoodNanos > maxAge.toNanos()) {
            return null;
        }
        return lastGood;
    }

    private Outcome collect() {
        long start = System.nanoTime();
        try {
            SeriesFilter.Result filtered = source.collect(filter);
            errors.skipped(source.name(), ErrorReason.DUPLICATE_SERIES_AFTER_FILTER, filtered.duplicates(),
                    "series that became equal once metrics.filter.dropLabels removed their distinguishing labels");
            long end = System.nanoTime();
            synchronized (this) {
                lastGood = filtered;
                lastGoodNanos = end;
            }
            return new Outcome(filtered, end - start, null);
        } catch (Exception e) {
            return new Outcome(null, System.nanoTime() - start, e);
        }
    }
}

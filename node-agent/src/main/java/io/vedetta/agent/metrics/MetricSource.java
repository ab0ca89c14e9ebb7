package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * A source of series collected at scrape time (kubelet endpoints, cgroups, /proc). Sources are wrapped
 * by a collector that applies the timeout, records {@code vedetta_source_up{source}} and serves the last
 * good snapshot when a collection fails, so one source never fails the whole scrape.
 */
public interface MetricSource {

    /** Stable name used as the {@code source} label, e.g. {@code cadvisor}, {@code node}, {@code cgroup}. */
    String name();

    /**
     * The families this source can produce; a scrape filtered by {@code name[]} skips the source when none of them
     * is asked for, so this must never leave one out.
     */
    FamilyNames families();

    /** Builds a fresh, immutable snapshot. May throw: the wrapper counts and logs the failure. */
    MetricSnapshots collect() throws Exception;

    /**
     * A fresh snapshot with the cardinality filters applied; a source that builds its snapshots from scratch can
     * filter while it builds them rather than have them rebuilt.
     */
    default SeriesFilter.Result collect(SeriesFilter.ForSource filter) throws Exception {
        return filter.apply(collect());
    }
}

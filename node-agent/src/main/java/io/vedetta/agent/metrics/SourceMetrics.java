package io.vedetta.agent.metrics;

/** Catalogue entries for the health of scrape-time metric sources, exposed by {@link SourceCollector}. */
public final class SourceMetrics {

    public static final MetricName UP = MetricName.gauge("vedetta_source_up",
            "1 if the source's last collection succeeded within its timeout, else 0.", "", "source");
    public static final MetricName DURATION = MetricName.gauge("vedetta_source_scrape_duration_seconds",
            "How long the source's collection took in this scrape (capped at its timeout).", "seconds", "source");
    public static final MetricName STALE = MetricName.gauge("vedetta_source_stale",
            "1 while the source's series are its last good snapshot, served because collection failed or timed out.",
            "", "source");
    public static final MetricName SERIES = MetricName.gauge("vedetta_series",
            "Series the source exposes in this scrape, after the cardinality filters.", "", "source");

    /** Micrometer name of {@code vedetta_errors_total}, shared by every stage. */
    public static final String ERRORS = "vedetta.errors";
    public static final String ERRORS_HELP = "Failures by stage and reason; each failure is also logged once with its cause.";

    private SourceMetrics() {
    }
}

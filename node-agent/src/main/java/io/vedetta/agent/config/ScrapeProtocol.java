package io.vedetta.agent.config;

/**
 * The exposition formats a pod scrape may ask for, written as Prometheus' {@code scrape_protocols} (2.49) writes them,
 * each with the media range it adds to the {@code Accept} header.
 */
public enum ScrapeProtocol {
    PROMETHEUS_PROTO("PrometheusProto",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"),
    OPENMETRICS_TEXT_1_0_0("OpenMetricsText1.0.0", "application/openmetrics-text;version=1.0.0"),
    OPENMETRICS_TEXT_0_0_1("OpenMetricsText0.0.1", "application/openmetrics-text;version=0.0.1"),
    PROMETHEUS_TEXT_0_0_4("PrometheusText0.0.4", "text/plain;version=0.0.4");

    private final String written;
    private final String mediaRange;

    ScrapeProtocol(String written, String mediaRange) {
        this.written = written;
        this.mediaRange = mediaRange;
    }

    public String written() {
        return written;
    }

    public String mediaRange() {
        return mediaRange;
    }
}

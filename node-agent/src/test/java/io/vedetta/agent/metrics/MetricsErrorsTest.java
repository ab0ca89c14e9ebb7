package io.vedetta.agent.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsErrorsTest {

    @Test
    void exportsEveryReasonAtZeroBeforeAnyFailure() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new MetricsErrors(registry);

        String scrape = registry.scrape();
        for (String reason : new String[] {"timeout", "collect_failed", "tls", "connect", "http_status",
                "unparsable_line", "duplicate_series", "conflicting_family"}) {
            String series = "vedetta_errors_total{reason=\"" + reason + "\",stage=\"metrics\"} 0.0";
            assertTrue(scrape.contains(series), series + " missing from\n" + scrape);
        }
    }

    @Test
    void countsSkippedItemsUnderTheirReason() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsErrors errors = new MetricsErrors(registry);

        errors.skipped("kubelet", ErrorReason.UNPARSABLE_LINE, 3, "a line");
        errors.failed("kubelet", ErrorReason.CONNECT, "refused", null);

        String scrape = registry.scrape();
        assertTrue(scrape.contains("vedetta_errors_total{reason=\"unparsable_line\",stage=\"metrics\"} 3.0"), scrape);
        assertTrue(scrape.contains("vedetta_errors_total{reason=\"connect\",stage=\"metrics\"} 1.0"), scrape);
    }
}

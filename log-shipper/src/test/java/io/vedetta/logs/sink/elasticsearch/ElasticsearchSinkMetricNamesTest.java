package io.vedetta.logs.sink.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The names users query, as a real Prometheus registry exposes the sink's Micrometer meters. */
class ElasticsearchSinkMetricNamesTest {

    @Test
    void exposesTheSinksSeriesUnderTheirCatalogueNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ElasticsearchSinkMetrics(registry);

        String text = registry.scrape();
        Set<String> names = text.lines().filter(l -> l.startsWith("# TYPE "))
                .map(l -> l.split(" ")[2]).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of(
                "vedetta_log_es_records_sent_total",
                "vedetta_log_es_sent_bytes_total",
                "vedetta_log_es_bulk_requests_total",
                "vedetta_log_es_items_retried_total",
                "vedetta_log_es_dead_lettered_total",
                "vedetta_log_es_dead_letters_dropped_total",
                "vedetta_log_es_errors_total",
                "vedetta_log_es_requests_in_flight",
                "vedetta_log_es_concurrency_limit",
                "vedetta_log_delivery_latency_seconds",
                "vedetta_log_delivery_latency_seconds_max")), names);
        assertEquals(6, text.lines().filter(l -> l.startsWith("vedetta_log_es_bulk_requests_total{")).count(),
                "every outcome exists from the start");
    }
}

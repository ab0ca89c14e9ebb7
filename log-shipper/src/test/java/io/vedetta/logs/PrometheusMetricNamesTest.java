package io.vedetta.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vedetta.logs.enrich.ContainerRef;
import io.vedetta.logs.enrich.EnrichConfig;
import io.vedetta.logs.enrich.Enricher;
import io.vedetta.logs.enrich.FileEnricher;
import io.vedetta.logs.parse.FileLogParser;
import io.vedetta.logs.parse.LogParsers;
import io.vedetta.logs.parse.MultilineMode;
import io.vedetta.logs.parse.ParseConfig;
import io.vedetta.logs.testing.LogFiles;
import io.vedetta.pods.PodMetadata;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The names users will query, as a real Prometheus registry exposes the Micrometer counters of both stages. */
class PrometheusMetricNamesTest {

    @Test
    void exposesParseAndEnrichCountersUnderTheirCatalogueNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FileEnricher enricher = new Enricher(EnrichConfig.defaults(), PodMetadata.NONE, registry, Clock.systemUTC())
                .forFile(new ContainerRef("ns", "pod", "c", "id"));
        FileLogParser parser = new LogParsers(ParseConfig.defaults(), registry, Clock.systemUTC())
                .forMode("f", MultilineMode.NONE, event -> enricher.enrich(event));
        LogFiles.feed("2024-01-02T03:04:05Z stdout F hello\n", parser);

        String text = registry.scrape();
        Set<String> names = text.lines().filter(l -> l.startsWith("# TYPE "))
                .map(l -> l.split(" ")[2]).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of(
                "vedetta_log_lines_total",
                "vedetta_log_parse_errors_total",
                "vedetta_log_lines_truncated_total",
                "vedetta_log_lines_split_total",
                "vedetta_log_invalid_utf8_total",
                "vedetta_log_partial_flushes_total",
                "vedetta_log_multiline_flushes_total",
                "vedetta_log_partial_merges_total",
                "vedetta_log_multiline_joins_total",
                "vedetta_log_records_total",
                "vedetta_log_unenriched_total",
                "vedetta_log_pod_lookups_total",
                "vedetta_log_key_collisions_total")), names);
        assertTrue(text.contains("vedetta_log_lines_total{format=\"cri\"} 1.0"), text);
        assertTrue(text.contains("vedetta_log_parse_errors_total{reason=\"malformed_docker\"} 0.0"),
                "every reason exists from the start, so rate() and alerts see the first error");
        assertTrue(text.contains("vedetta_log_unenriched_total 1.0"), text);
    }
}

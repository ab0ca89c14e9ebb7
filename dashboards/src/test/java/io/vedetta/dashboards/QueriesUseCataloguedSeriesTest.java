package io.vedetta.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class QueriesUseCataloguedSeriesTest {

    private final ReadmeCatalogue catalogue = ReadmeCatalogue.of(Repo.ROOT.resolve("README.md"));

    @Test
    void everySeriesAPanelQueryNamesIsInTheReadmeCatalogue() {
        Set<String> missing = new TreeSet<>();
        int named = 0;
        for (PanelQuery query : Dashboards.queries(Repo.dashboards())) {
            Set<String> series = SeriesNames.in(query.expr());
            assertFalse(series.isEmpty(), query.where() + " names no series: " + query.expr());
            named += series.size();
            series.stream().filter(s -> !catalogue.contains(s)).forEach(s -> missing.add(s + " (" + query.where() + ")"));
        }

        assertTrue(named > 100, "too few series found in the queries to be the real dashboards: " + named);
        assertEquals(Set.of(), missing, "series not in README.md's metric catalogue");
    }

    @Test
    void catalogueExpandsAlternativesAndKnowsSummaryParts() {
        assertTrue(catalogue.size() > 100, "the catalogue section was not found whole: " + catalogue.size());
        assertTrue(catalogue.contains("container_network_transmit_errors_total"));
        assertTrue(catalogue.contains("jvm_gc_pause_seconds_count"));
        assertFalse(catalogue.contains("kube_persistentvolume_labels"),
                "a kube-state-metrics series Vedetta does not expose");
        assertFalse(catalogue.contains("vedetta_log_records_delivered_total"));
        assertEquals(List.of("a_x_1", "a_x_2", "a_y_1", "a_y_2"), ReadmeCatalogue.expand("a_{x,y}_{1,2}"));
    }
}

package io.vedetta.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.agent.metrics.MetricName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricCatalogueTest {

    @Test
    void readmeCataloguesEveryMetricTheAgentBuilds() throws IOException {
        Set<String> catalogued = ReadmeTables.firstColumn(Files.readString(Path.of("..", "README.md")), "Metric catalogue");
        List<String> missing = MetricCatalogue.all().stream().map(MetricName::name)
                .filter(name -> !catalogued.contains(name)).toList();

        assertTrue(missing.isEmpty(), "README.md's metric catalogue tables lack " + missing);
    }

    @Test
    void onlyTheFirstColumnOfTheCatalogueTablesCounts() {
        String readme = """
                ## Metric catalogue

                Pass-through: `in_prose_total` from the kubelet.

                | metric | type |
                |---|---|
                | `first_total`, `second` | counter |
                | `third` | gauge, unlike `in_other_column` |

                ## Next

                | `elsewhere` | gauge |
                """;
        assertEquals(Set.of("first_total", "second", "third"), ReadmeTables.firstColumn(readme, "Metric catalogue"));
    }

    @Test
    void namesAreUniqueAndFollowPrometheusConventions() {
        Set<String> seen = new HashSet<>();
        for (MetricName metric : MetricCatalogue.all()) {
            assertTrue(seen.add(metric.name()), "duplicate " + metric.name());
            assertTrue(metric.name().matches("[a-zA-Z_:][a-zA-Z0-9_:]*"), metric.name());
            assertTrue(!metric.help().isBlank(), metric.name() + " has no help");
            if (metric.type() == MetricName.Type.COUNTER) {
                assertTrue(metric.name().endsWith("_total"), metric.name() + " is a counter without _total");
            }
        }
    }
}

package io.vedetta.agent;

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
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> missing = MetricCatalogue.all().stream().map(MetricName::name)
                .filter(name -> !readme.contains("`" + name + "`")).toList();

        assertTrue(missing.isEmpty(), "README.md's metric catalogue lacks " + missing);
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

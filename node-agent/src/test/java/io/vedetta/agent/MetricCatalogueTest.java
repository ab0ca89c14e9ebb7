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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricCatalogueTest {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /**
     * The names in the first column of the tables of README's "Metric catalogue" section: a name the README mentions
     * only in prose, or in another section, is not catalogued.
     */
    static Set<String> cataloguedNames(String markdown) {
        String readme = "\n" + markdown;
        int start = readme.indexOf("\n## Metric catalogue\n");
        assertTrue(start >= 0, "README.md has no \"## Metric catalogue\" section");
        int end = readme.indexOf("\n## ", start + 1);
        Set<String> names = new HashSet<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (line.startsWith("|") && !line.startsWith("|---")) {
                Matcher name = CODE.matcher(line.split("\\|")[1]);
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }

    @Test
    void readmeCataloguesEveryMetricTheAgentBuilds() throws IOException {
        Set<String> catalogued = cataloguedNames(Files.readString(Path.of("..", "README.md")));
        List<String> missing = MetricCatalogue.all().stream().map(MetricName::name)
                .filter(name -> !catalogued.contains(name)).toList();

        assertTrue(missing.isEmpty(), "README.md's metric catalogue tables lack " + missing);
    }

    @Test
    void onlyTheCatalogueTablesCount() {
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
        assertEquals(Set.of("first_total", "second", "third"), cataloguedNames(readme));
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

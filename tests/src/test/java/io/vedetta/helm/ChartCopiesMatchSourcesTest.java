package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart carries copies of alert-rules/ and dashboards/ (Helm can only read files inside the chart), and
 * they must stay byte-for-byte equal to their sources: this test is what keeps one source of truth. Copies
 * are committed rather than made by the build so that the chart installs straight from a checkout or a
 * `helm package` without running Maven first.
 */
class ChartCopiesMatchSourcesTest {

    @Test
    void chartRuleFilesAreCopiesOfTheAlertRules() {
        assertCopies(SourceFiles.ruleFiles(), SourceFiles.chartFiles(SourceFiles.CHART_RULES),
                SourceFiles.RULES, SourceFiles.CHART_RULES);
    }

    @Test
    void chartDashboardsAreCopiesOfTheDashboards() {
        assertCopies(SourceFiles.dashboards(), SourceFiles.chartFiles(SourceFiles.CHART_DASHBOARDS),
                SourceFiles.DASHBOARDS, SourceFiles.CHART_DASHBOARDS);
    }

    private static void assertCopies(Map<String, String> sources, Map<String, String> copies, Path from, Path to) {
        Set<String> drifted = new TreeSet<>();
        Set<String> names = new TreeSet<>(sources.keySet());
        names.addAll(copies.keySet());
        for (String name : names) {
            if (!sources.containsKey(name)) {
                drifted.add(name + ": in the chart but not under " + Chart.REPO.relativize(from) + "; delete it");
            } else if (!sources.get(name).equals(copies.get(name))) {
                drifted.add(name + ": copy it from " + Chart.REPO.relativize(from) + " to " + Chart.REPO.relativize(to));
            }
        }
        assertEquals(Set.of(), drifted, "the chart's copies drifted from their sources");
    }
}

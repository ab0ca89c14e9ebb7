package io.vedetta.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromtoolParsesEveryQueryTest {

    @Test
    void everyPanelQueryParsesWithPromtool(@TempDir Path dir) {
        List<PanelQuery> queries = Dashboards.queries(Repo.dashboards());

        Command promtool = PromtoolRules.check(queries, dir);

        assertEquals(0, promtool.exitCode(), promtool.output());
        assertTrue(promtool.output().contains("SUCCESS: " + queries.size() + " rules found"), promtool.output());
    }

    @Test
    void aQueryThatDoesNotParseIsReportedWithItsPanel(@TempDir Path dir) {
        PanelQuery broken = new PanelQuery("node.json", 7, "CPU", "B", "sum by (node) (rate(node_cpu_seconds_total[$__rate_interval])");

        Command promtool = PromtoolRules.check(List.of(broken), dir);

        assertEquals(1, promtool.exitCode(), promtool.output());
        assertTrue(promtool.output().contains("node.json panel 7 \\\"CPU\\\" query B")
                || promtool.output().contains("node.json panel 7 \"CPU\" query B"), promtool.output());
        assertTrue(promtool.output().contains("unclosed left parenthesis"), promtool.output());
    }
}

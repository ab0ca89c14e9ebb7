package io.vedetta.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The project's own rules for a dashboard, beyond Grafana's model: identity, variables, units, thresholds, data source. */
class DashboardConventionsTest {

    private static final List<String> VARIABLES = List.of("datasource", "cluster", "node", "namespace", "pod");
    private static final String DATASOURCE = "${datasource}";

    @Test
    void everyDashboardHasAStableUidTagsAndTheVariablesInOrder() {
        Set<String> uids = new HashSet<>();
        for (Dashboard dashboard : Repo.dashboards()) {
            assertTrue(dashboard.uid().startsWith("vedetta-") && uids.add(dashboard.uid()), dashboard.file() + ": uid " + dashboard.uid());
            assertTrue(dashboard.json().path("tags").toString().contains("\"vedetta\""), dashboard.file() + ": tags");
            List<String> names = new ArrayList<>();
            Map<String, JsonNode> byName = new TreeMap<>();
            for (JsonNode variable : dashboard.json().path("templating").path("list")) {
                names.add(variable.path("name").asText());
                byName.put(variable.path("name").asText(), variable);
            }
            assertEquals(VARIABLES, names, dashboard.file());
            assertEquals("datasource", byName.get("datasource").path("type").asText());
            assertEquals("prometheus", byName.get("datasource").path("query").asText());
            assertEquals(2, byName.get("cluster").path("hide").asInt(), dashboard.file() + ": cluster is hidden");
            assertEquals(".*", byName.get("cluster").path("allValue").asText(), dashboard.file() + ": cluster matches series without it");
            assertTrue(byName.get("node").path("query").path("query").asText().contains("up{job=\"vedetta\""), dashboard.file());
        }
        assertTrue(uids.size() >= 4, "at least four dashboards: " + uids);
    }

    @Test
    void everyPanelHasAUnitThresholdsAndTheDatasourceVariable() {
        List<String> problems = new ArrayList<>();
        for (Dashboard dashboard : Repo.dashboards()) {
            Set<String> titles = new HashSet<>();
            for (JsonNode panel : dashboard.panels()) {
                String where = dashboard.file() + " panel " + panel.path("id") + " \"" + panel.path("title").asText() + "\"";
                if (!titles.add(panel.path("title").asText())) {
                    problems.add(where + ": title repeated (queries-needing-events.yaml names panels by title)");
                }
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                JsonNode defaults = panel.path("fieldConfig").path("defaults");
                if (defaults.path("unit").asText().isEmpty()) {
                    problems.add(where + ": no unit");
                }
                if (defaults.path("thresholds").path("steps").isEmpty()) {
                    problems.add(where + ": no thresholds");
                }
                if (!panel.path("datasource").path("uid").asText().equals(DATASOURCE) || panel.path("targets").isEmpty()) {
                    problems.add(where + ": datasource is not " + DATASOURCE + " or it has no queries");
                }
                for (JsonNode target : panel.path("targets")) {
                    if (!target.path("datasource").path("uid").asText().equals(DATASOURCE)) {
                        problems.add(where + " query " + target.path("refId").asText() + ": datasource is not " + DATASOURCE);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }
}

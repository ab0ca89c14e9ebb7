package io.vedetta.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What Grafana's schema cannot say about a dashboard's panels: ids unique, rectangles inside the 24-column grid and disjoint. */
final class PanelLayout {

    private static final int GRID_COLUMNS = 24;

    private PanelLayout() {
    }

    static List<String> problems(Dashboard dashboard) {
        List<String> problems = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = dashboard.panels();
        for (JsonNode panel : panels) {
            if (!panel.path("id").canConvertToInt() || !ids.add(panel.path("id").asInt())) {
                problems.add("panel \"" + panel.path("title").asText() + "\" has a missing or repeated id " + panel.path("id"));
            }
            JsonNode g = panel.path("gridPos");
            if (g.path("w").asInt() <= 0 || g.path("h").asInt() <= 0 || g.path("x").asInt() < 0
                    || g.path("x").asInt() + g.path("w").asInt() > GRID_COLUMNS) {
                problems.add("panel " + panel.path("id") + " lies outside the grid: " + g);
            }
        }
        for (int i = 0; i < panels.size(); i++) {
            for (int j = i + 1; j < panels.size(); j++) {
                if (overlap(panels.get(i).path("gridPos"), panels.get(j).path("gridPos"))) {
                    problems.add("panels " + panels.get(i).path("id") + " and " + panels.get(j).path("id") + " overlap: "
                            + panels.get(i).path("gridPos") + " " + panels.get(j).path("gridPos"));
                }
            }
        }
        return problems;
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
    }
}

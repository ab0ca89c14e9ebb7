package io.vedetta.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One dashboard file as Grafana reads it: its JSON model and the file name it is known by. */
public record Dashboard(String file, JsonNode json) {

    public String uid() {
        return json.path("uid").asText();
    }

    /** Every panel, those nested in collapsed rows included, rows themselves included. */
    public List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : json.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** The Prometheus queries of every panel, in panel order. */
    public List<PanelQuery> queries() {
        List<PanelQuery> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new PanelQuery(file, panel.path("id").asInt(), panel.path("title").asText(),
                        target.path("refId").asText(), target.path("expr").asText()));
            }
        }
        return queries;
    }
}

package io.vedetta.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Panel queries checked by {@code promtool check rules}: each query, its variables replaced by concrete
 * values, becomes a recording rule (a name of its own, or promtool's linter reports equal queries of two panels as
 * duplicate rules) in a group named after the panel, so promtool's error names the panel.
 */
final class PromtoolRules {

    /** Concrete values of the dashboards' variables, as Grafana would send them. */
    static final TemplateVariables VALUES = new TemplateVariables(Map.of(
            "datasource", "prometheus", "cluster", ".*", "node", "node-a", "namespace", "shop", "pod", "web-1",
            "__rate_interval", "1m", "__interval", "1m", "__range", "1h"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private PromtoolRules() {
    }

    static Command check(List<PanelQuery> queries, Path dir) {
        StringBuilder rules = new StringBuilder("groups:\n");
        int n = 0;
        for (PanelQuery query : queries) {
            rules.append("  - name: ").append(quoted(query.where())).append('\n')
                    .append("    rules:\n")
                    .append("      - record: dashboard_query_").append(++n).append('\n')
                    .append("        expr: ").append(quoted(VALUES.substitute(query.expr()))).append('\n');
        }
        Path file = dir.resolve("dashboard-queries.rules.yaml");
        try {
            Files.writeString(file, rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Command.run(dir, 60, "promtool", "check", "rules", file.toString());
    }

    /** A JSON string is a valid YAML double-quoted scalar. */
    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

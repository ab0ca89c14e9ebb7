package io.vedetta.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards against Grafana's own model: validate.mjs generates JSON schemas from the {@code Dashboard}
 * type and the panel plugins' {@code Options}/{@code FieldConfig} types of the npm package {@code @grafana/schema}
 * (versions pinned by package-lock.json) and validates with ajv. A fresh checkout has no node_modules, so the tools are installed first with {@code npm ci}.
 */
class GrafanaSchemaTest {

    @BeforeAll
    static void installTools() {
        if (!Files.isDirectory(Repo.DASHBOARDS.resolve("node_modules/@grafana/schema"))) {
            Command npm = Command.run(Repo.DASHBOARDS, 300, "npm", "ci", "--no-audit", "--no-fund");
            assertEquals(0, npm.exitCode(), "npm ci in dashboards/ failed:\n" + npm.output());
        }
    }

    @Test
    void everyDashboardAndPanelValidatesAgainstSchemasGeneratedFromGrafanasTypes() {
        Command validate = Command.run(Repo.DASHBOARDS, 120, "node", "validate.mjs");

        assertEquals(0, validate.exitCode(), validate.output());
        for (Dashboard dashboard : Repo.dashboards()) {
            assertTrue(validate.output().contains(dashboard.file() + ": valid"), validate.output());
        }
    }

    /** Written at test time rather than kept as a file, so the chart-copy check never takes it for a dashboard. */
    @Test
    void aDashboardThatBreaksGrafanasModelIsRejectedWithWhereAndWhy(@TempDir Path invalid) throws IOException {
        Files.writeString(invalid.resolve("broken.json"), """
                {
                  "uid": "broken",
                  "title": "Breaks Grafana's model",
                  "schemaVersion": 41,
                  "panels": [
                    {"type": "timeseries", "id": 1, "title": "w is no number", "gridPos": {"h": 8, "w": "wide", "x": 0, "y": 0},
                     "options": {"legend": {"displayMode": "fancy"}},
                     "fieldConfig": {"defaults": {"custom": {"lineWidht": 2}}, "overrides": []}},
                    {"type": "stat", "id": 2, "title": "unknown key", "gridPos": {"h": 8, "w": 8, "x": 8, "y": 0}, "quries": []},
                    {"type": "graph", "id": 3, "title": "removed panel type", "gridPos": {"h": 8, "w": 8, "x": 16, "y": 0}}
                  ],
                  "templating": {"list": [{"name": "node", "type": "dropdown"}]}
                }
                """);

        Command validate = Command.run(Repo.DASHBOARDS, 120, "node", "validate.mjs", invalid.toString());

        assertEquals(1, validate.exitCode(), validate.output());
        for (String expected : List.of(
                "/panels/0/gridPos/w must be number",
                "{\"additionalProperty\":\"quries\"}",
                "/templating/list/0/type must be equal to one of the allowed values",
                "/panels/0/options/legend/displayMode must be equal to one of the allowed values",
                "/panels/0/fieldConfig/defaults/custom must NOT have additional properties {\"additionalProperty\":\"lineWidht\"}",
                "/panels/2/type \"graph\" has no panel model",
                "/schemaVersion is 41; @grafana/schema's current version is ")) {
            assertTrue(validate.output().contains(expected), "missing " + expected + " in\n" + validate.output());
        }
    }
}

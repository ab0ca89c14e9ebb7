package io.vedetta.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards against Grafana's own dashboard model: validate.mjs generates a JSON schema from the
 * {@code Dashboard} type of the npm package {@code @grafana/schema} (versions pinned by package-lock.json) and
 * validates with ajv. A fresh checkout has no node_modules, so the tools are installed first with {@code npm ci}.
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
    void everyDashboardValidatesAgainstTheSchemaGeneratedFromGrafanasDashboardType() {
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
                  "schemaVersion": 42,
                  "panels": [
                    {"type": "timeseries", "id": 1, "title": "w is no number", "gridPos": {"h": 8, "w": "wide", "x": 0, "y": 0}},
                    {"type": "stat", "id": 2, "title": "unknown key", "gridPos": {"h": 8, "w": 8, "x": 8, "y": 0}, "quries": []}
                  ],
                  "templating": {"list": [{"name": "node", "type": "dropdown"}]}
                }
                """);

        Command validate = Command.run(Repo.DASHBOARDS, 120, "node", "validate.mjs", invalid.toString());

        assertEquals(1, validate.exitCode(), validate.output());
        assertTrue(validate.output().contains("/panels/0/gridPos/w must be number"), validate.output());
        assertTrue(validate.output().contains("\"additionalProperty\":\"quries\""), validate.output());
        assertTrue(validate.output().contains("/templating/list/0/type must be equal to one of the allowed values"),
                validate.output());
    }
}

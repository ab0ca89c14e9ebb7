package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** values.schema.json stops a bad values file at install time, before any pod crash-loops on it. */
class ValuesSchemaTest {

    @TempDir
    Path dir;

    @Test
    void rejectsAnUnknownKey() throws IOException {
        assertRejected("serviceMonitor:\n  enabled: true\n  intervall: 15s\n", "intervall");
    }

    @Test
    void rejectsAWrongType() throws IOException {
        assertRejected("updateStrategy:\n  maxUnavailable: [1]\n", "maxUnavailable");
        assertRejected("serviceMonitor:\n  enabled: \"yes\"\n", "enabled");
    }

    @Test
    void rejectsAnAgentSettingTheAgentWouldRejectAtStartup() throws IOException {
        assertRejected("config:\n  http:\n    prot: 9102\n", "prot");
        assertRejected("config:\n  metrics:\n    kubelet:\n      via: proxy\n", "via");
    }

    @Test
    void acceptsEveryScenario() {
        for (Path scenario : Chart.scenarios()) {
            Chart.render(scenario);
        }
        Chart.render(Map.of("config.kubernetes.deletionGrace", "90s", "config.logging.format", "text"));
    }

    @Test
    void acceptsEverySettingOfTheConfigurationReferenceUnderConfig() throws IOException {
        JsonNode config = Rendered.YAML.readTree(Chart.DIR.resolve("values.schema.json").toFile()).at("/properties/config");
        List<String> schemaPaths = new ArrayList<>();
        collect(config, "", schemaPaths);

        for (Pattern setting : ChartScenariosTest.documentedSettings()) {
            assertTrue(schemaPaths.stream().anyMatch(p -> setting.matcher(p).matches()),
                    () -> "README documents `" + setting + "`, but values.schema.json refuses it under config:");
        }
    }

    /** Every setting the schema allows under {@code config}, as dotted paths; a map of free keys as {@code <key>}. */
    private static void collect(JsonNode schema, String path, List<String> out) {
        JsonNode properties = schema.get("properties");
        if (properties == null) {
            out.add(schema.path("additionalProperties").isObject() ? path + ".<key>" : path);
            return;
        }
        properties.fields().forEachRemaining(p ->
                collect(p.getValue(), path.isEmpty() ? p.getKey() : path + "." + p.getKey(), out));
    }

    private void assertRejected(String values, String offendingKey) throws IOException {
        Path file = Files.writeString(dir.resolve("bad-values.yaml"), values);

        RuntimeException error = assertThrows(RuntimeException.class, () -> Chart.render(file));

        assertTrue(error.getMessage().contains("schema") && error.getMessage().contains(offendingKey),
                () -> "expected a schema error naming " + offendingKey + " but got: " + error.getMessage());
    }
}

package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    private void assertRejected(String values, String offendingKey) throws IOException {
        Path file = Files.writeString(dir.resolve("bad-values.yaml"), values);

        RuntimeException error = assertThrows(RuntimeException.class, () -> Chart.render(file));

        assertTrue(error.getMessage().contains("schema") && error.getMessage().contains(offendingKey),
                () -> "expected a schema error naming " + offendingKey + " but got: " + error.getMessage());
    }
}

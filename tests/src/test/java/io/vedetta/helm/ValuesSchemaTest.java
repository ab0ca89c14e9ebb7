package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
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
    void rejectsAnUnknownKeyNamingWhereItIs() throws IOException {
        assertRejected("serviceMonitor:\n  enabled: true\n  intervall: 15s\n", "/serviceMonitor", "'intervall'");
    }

    @Test
    void rejectsAWrongTypeNamingTheValue() throws IOException {
        assertRejected("updateStrategy:\n  maxUnavailable: [1]\n", "/updateStrategy/maxUnavailable", "got array");
        assertRejected("serviceMonitor:\n  enabled: \"yes\"\n", "/serviceMonitor/enabled", "want boolean");
    }

    @Test
    void rejectsAnAgentSettingTheAgentWouldRejectAtStartup() throws IOException {
        assertRejected("config:\n  http:\n    prot: 9102\n", "/config/http", "'prot'");
        assertRejected("config:\n  metrics:\n    kubelet:\n      via: proxy\n", "/config/metrics/kubelet/via",
                "'direct', 'apiserver'");
        assertRejected("config:\n  kubernetes:\n    deletionGrace: 90\n", "/config/kubernetes/deletionGrace",
                "want string");
        assertRejected("config:\n  kubernetes:\n    deletionGrace: 90 seconds\n", "/config/kubernetes/deletionGrace",
                "does not match pattern");
    }

    @Test
    void acceptsEveryScenarioAndPassesAgentSettingsThrough() {
        for (Path scenario : Chart.scenarios()) {
            DaemonSet agent = Chart.render(scenario).daemonSet();
            assertEquals("vedetta", agent.getMetadata().getName(), scenario.toString());
        }
        Rendered rendered = Chart.render(Map.of("config.kubernetes.deletionGrace", "90s",
                "config.logging.format", "text", "config.logs.multiline.mode", "java",
                "config.elasticsearch.bulk.maxBytes", "10MiB"));
        assertEquals("90s", rendered.agentConfig().at("/kubernetes/deletionGrace").asText());
        assertEquals("text", rendered.agentConfig().at("/logging/format").asText());
        assertEquals("java", rendered.agentConfig().at("/logs/multiline/mode").asText());
        assertEquals("10MiB", rendered.agentConfig().at("/elasticsearch/bulk/maxBytes").asText());
    }

    /** Helm refuses {@code values} with a schema error at {@code path} that says what is wrong ({@code what}). */
    private void assertRejected(String values, String path, String what) throws IOException {
        Path file = Files.writeString(dir.resolve("bad-values.yaml"), values);

        RuntimeException error = assertThrows(RuntimeException.class, () -> Chart.render(file));

        String message = String.valueOf(error.getMessage());
        assertTrue(message.contains("schema") && message.contains("at '" + path + "'") && message.contains(what),
                () -> "expected a schema error at " + path + " saying " + what + " but got: " + message);
    }
}

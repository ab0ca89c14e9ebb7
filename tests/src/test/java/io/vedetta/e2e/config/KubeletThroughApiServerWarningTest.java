package io.vedetta.e2e.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metrics.kubelet.via: apiserver} takes nodes/proxy, whose reach the packaged agent warns about at start. */
class KubeletThroughApiServerWarningTest {

    @TempDir
    Path dir;

    @Test
    void theApiServerProxyIsWarnedAboutAndTheDirectWayIsNot() {
        int apiServer = Ports.free();
        String proxied = startLog(dir.resolve("proxy"), "via: apiserver", Map.of("NODE_NAME", "node-a",
                "KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", String.valueOf(apiServer)));
        String direct = startLog(dir.resolve("direct"), "via: direct", Map.of("NODE_NAME", "node-a",
                "HOST_IP", "127.0.0.1"));

        assertTrue(proxied.contains("the kubelet is reached through the API server's node proxy (https://127.0.0.1:"
                + apiServer + "/api/v1/nodes/node-a/proxy): that takes the nodes/proxy permission, which also lets"
                + " whoever holds this service account's token open exec and attach sessions into the pods of every"
                + " node"), proxied);
        assertFalse(direct.contains("nodes/proxy"), direct);
    }

    /** The agent's log up to "agent started", with the kubelet reached {@code via}. */
    private static String startLog(Path dir, String via, Map<String, String> env) {
        try (AgentProcess agent = AgentProcess.start(dir, """
                kubernetes: {enabled: false, nodeName: node-a}
                metrics:
                  kubelet: {enabled: true, %s, caFile: "", tokenFile: ""}
                logging: {format: text}
                """.formatted(via), env)) {
            Http.await(Duration.ofSeconds(20), () -> read(agent).contains("agent started"));
            return read(agent);
        }
    }

    private static String read(AgentProcess agent) {
        try {
            return Files.readString(agent.process().log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.vedetta.testkit.pod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The chart's values that point the agent's pod at a simulated node: where Elasticsearch and the API server are, the
 * kubelet's port (its address is the pod's HOST_IP), the agent's own port (on the host network it binds this
 * machine's interfaces, which parallel runs share, so not 9102), readiness checked every second and short batching.
 * A values file to give after a scenario's; a further file can add to it, as Helm merges them in order.
 */
public final class AgentValues {

    private AgentValues() {
    }

    public static Path write(Path file, boolean hostNetwork, String elasticsearchUrl, String apiServerUrl,
            int kubeletPort, int httpPort) {
        try {
            return Files.writeString(file, """
                    hostNetwork: %s
                    elasticsearch:
                      urls: ["%s"]
                    readinessProbe: {initialDelaySeconds: 1, periodSeconds: 1}
                    config:
                      http: {port: %d}
                      kubernetes: {apiServer: "%s"}
                      metrics:
                        kubelet: {port: %d}
                      logs:
                        batch: {linger: 200ms}
                    """.formatted(hostNetwork, elasticsearchUrl, httpPort, apiServerUrl, kubeletPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

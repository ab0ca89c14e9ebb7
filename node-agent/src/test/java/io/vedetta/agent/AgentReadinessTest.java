package io.vedetta.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vedetta.agent.config.AgentConfig;
import io.vedetta.agent.config.ConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentReadinessTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(Agent agent, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void readyzIs503WhileTheApiIsDownAnd200OnceDiscoveryHasSynced(@TempDir Path dir) throws Exception {
        int apiPort = freePort();
        Path file = dir.resolve("vedetta.yaml");
        Files.writeString(file, """
                http: {address: 127.0.0.1, port: 0}
                kubernetes: {apiServer: "http://127.0.0.1:%d", retryInitial: 100ms, retryMax: 500ms}
                metrics: {kubelet: {enabled: false}}
                """.formatted(apiPort));
        AgentConfig config = ConfigLoader.load(Optional.of(file), Map.of("NODE_NAME", "node-a"));

        try (Agent agent = new Agent(config)) {
            agent.start();
            HttpResponse<String> before = get(agent, "/readyz");
            assertEquals(503, before.statusCode());
            assertTrue(before.body().contains("pod-discovery"), before.body());
            assertEquals(200, get(agent, "/healthz").statusCode(), "alive while not ready");

            KubernetesMockServer api = new KubernetesMockServer(false);
            String selector = "fieldSelector=spec.nodeName%3Dnode-a";
            api.expect().get().withPath("/api/v1/pods?" + selector + "&resourceVersion=0")
                    .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("4").endMetadata().build())
                    .always();
            api.expect().get().withPath("/api/v1/pods?allowWatchBookmarks=true&" + selector
                    + "&resourceVersion=4&timeoutSeconds=600&watch=true").andUpgradeToWebSocket().open().done().always();
            api.init(InetAddress.getLoopbackAddress(), apiPort);
            try {
                Instant deadline = Instant.now().plusSeconds(20);
                int status = 0;
                while (Instant.now().isBefore(deadline) && (status = get(agent, "/readyz").statusCode()) != 200) {
                    Thread.sleep(100);
                }
                assertEquals(200, status, "agent never became ready once the API answered");
                String metrics = get(agent, "/metrics").body();
                for (int i = 0; i < 100 && !metrics.contains("vedetta_kube_synced 1.0"); i++) {
                    // The mock's watch may close and reopen; synced follows it, readiness does not flap.
                    Thread.sleep(100);
                    metrics = get(agent, "/metrics").body();
                }
                assertTrue(metrics.contains("vedetta_kube_synced 1.0"), "synced gauge");
                assertTrue(metrics.contains("vedetta_ready 1.0"), "ready gauge");
                assertTrue(metrics.contains("vedetta_kube_watch_errors_total{reason=\"connect\"}"),
                        "the failed attempts were counted");
            } finally {
                agent.stop();
                api.destroy();
            }
        }
    }
}

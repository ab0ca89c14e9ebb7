package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.testkit.ContainerLogs;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent tails kubelet-layout files, enriches records from the pods it watches in the API, and
 * ships them into a real Elasticsearch.
 */
class LogShippingEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final E2eEnvironment env = E2eEnvironment.get();

    /** The pod's documents in its namespace's data stream, oldest first. */
    private List<JsonNode> shipped(String pod) {
        Http.Response response = Http.get(env.elasticsearch.url() + "/logs-kubernetes.container-shop/_search"
                + "?q=kubernetes.pod_name:" + pod + "&sort=@timestamp:asc&size=100");
        List<JsonNode> docs = new ArrayList<>();
        if (response.status() != 200) {
            return docs;
        }
        try {
            for (JsonNode hit : JSON.readTree(response.body()).path("hits").path("hits")) {
                docs.add(hit.path("_source"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    @Test
    void recordsOfAPodInTheApiAreEnrichedWithItsMetadata() {
        Pod pod = env.node.addRunningPod("shop", "cart-6d5c", "cart", "cart");
        Path file = env.containerLogs.fileOf(pod, "cart");
        ContainerLogs.appendCri(file, "stdout", "cart service started", "GET /cart/42 200");

        assertTrue(Http.await(Duration.ofSeconds(30), () -> shipped("cart-6d5c").size() == 2),
                "records never shipped; agent log:\n" + env.agent.process().tail(20));
        JsonNode doc = shipped("cart-6d5c").get(0);
        JsonNode kubernetes = doc.path("kubernetes");
        assertEquals("cart service started", doc.path("log").asText());
        assertEquals("shop", kubernetes.path("namespace_name").asText());
        assertEquals(pod.getMetadata().getUid(), kubernetes.path("pod_id").asText());
        assertEquals("registry.example/cart/cart:1.0", kubernetes.path("container_image").asText());
        assertEquals(E2eEnvironment.NODE, kubernetes.path("host").asText());
        assertEquals("cart", kubernetes.path("labels").path("app").asText());
        assertEquals("cart", kubernetes.path("labels").path("app_kubernetes_io/name").asText(),
                "dotted label keys are de-dotted so they cannot clash with `app`: " + kubernetes.path("labels"));
    }

    @Test
    void theLogPipelineCountsReachPrometheus() {
        Pod pod = env.node.addRunningPod("shop", "ledger-1a2b", "ledger", "ledger");
        ContainerLogs.appendCri(env.containerLogs.fileOf(pod, "ledger"), "stderr", "ledger up");

        assertTrue(Http.await(Duration.ofSeconds(30),
                () -> env.prometheus.value("sum(vedetta_log_es_records_sent_total)") >= 1.0
                        && env.prometheus.value("vedetta_log_files_watched") >= 1.0),
                "log pipeline series never reached Prometheus");
        assertTrue(Http.await(Duration.ofSeconds(30), () -> env.prometheus.value("vedetta_log_lag_bytes") == 0.0),
                "everything written is acknowledged, so the lag drains to 0");
    }
}

package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.testkit.ContainerLogs;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tenancy of index routing, with pods in the API and the packaged agent writing into a real Elasticsearch: the
 * {@code vedetta.io/index} annotation only chooses a suffix under the pod's own namespace, so a pod of one
 * namespace cannot write into another namespace's data stream, and a value that is no valid suffix is refused.
 */
class IndexTenancyEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM = "logs-kubernetes.container-";
    private final E2eEnvironment env = E2eEnvironment.get();

    /** Documents of {@code pod} in {@code target}; -1 while the target does not exist. */
    private long count(String target, String pod) {
        Http.get(env.elasticsearch.url() + "/" + target + "/_refresh");
        Http.Response response = Http.get(env.elasticsearch.url() + "/" + target + "/_count?q=kubernetes.pod_name:" + pod);
        if (response.status() == 404) {
            return -1;
        }
        try {
            return JSON.readTree(response.body()).path("count").asLong(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aPodOfOneNamespaceCannotWriteIntoAnotherNamespacesStream() {
        Map<String, Pod> pods = Map.of(
                "victim-9f8e", env.node.addRunningPod("kube-system", "victim-9f8e", "victim", "app"),
                "intruder-1a2b", annotated("shop", "intruder-1a2b", "kube-system"),
                "audit-3c4d", annotated("shop", "audit-3c4d", "audit"),
                "sneaky-5e6f", annotated("shop", "sneaky-5e6f", "../Kube-System"));
        // Written once the agent knows the pods, so every record carries its pod's annotation.
        assertTrue(Http.await(Duration.ofSeconds(60), () -> {
            String metrics = Http.get(env.agent.url() + "/metrics").body();
            return pods.keySet().stream().allMatch(name -> metrics.contains("pod=\"" + name + "\""));
        }), "the agent never saw the pods; agent log:\n" + env.agent.process().tail(30));
        pods.forEach((name, pod) -> ContainerLogs.appendCri(env.containerLogs.fileOf(pod, "app"), "stdout",
                "written by " + name));

        assertTrue(Http.await(Duration.ofSeconds(60), () -> count(STREAM + "shop.kube-system", "intruder-1a2b") == 1
                        && count(STREAM + "shop.audit", "audit-3c4d") == 1
                        && count(STREAM + "shop", "sneaky-5e6f") == 1
                        && count(STREAM + "kube-system", "victim-9f8e") == 1),
                "records never reached their streams; agent log:\n" + env.agent.process().tail(30));
        assertEquals(0, count(STREAM + "kube-system", "intruder-1a2b"), "nothing in the other namespace's stream");
        assertTrue(env.agent.metric("vedetta_log_routes_refused_total{reason=\"invalid\"}") >= 1,
                "the invalid suffix is counted");
    }

    private Pod annotated(String namespace, String name, String index) {
        return env.node.addRunningPod(namespace, name, name, Map.of("vedetta.io/index", index), "app");
    }
}

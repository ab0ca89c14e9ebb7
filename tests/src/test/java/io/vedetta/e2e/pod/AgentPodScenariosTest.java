package io.vedetta.e2e.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.pod.PodManifest;
import io.vedetta.testkit.pod.RenderedChart;
import io.vedetta.testkit.pod.RunningPod;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each ci/ scenario of the chart, run as its pod on the simulated node: it becomes ready and scrapes the kubelet with
 * TLS verified, through the node's own self-signed serving certificate (kubeadm's default) or, with
 * {@code via: apiserver}, through the API server's node proxy and the cluster CA.
 */
class AgentPodScenariosTest extends AgentPodTest {

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "elasticsearch-basic-auth", "kubelet-apiserver-proxy", "logs-off"})
    void becomesReadyAndScrapesTheKubeletWithTlsVerified(String scenario) {
        JsonNode[] objects = scenario.equals("elasticsearch-basic-auth") ? new JsonNode[] {PodManifest.object("""
                apiVersion: v1
                kind: Secret
                metadata: {name: vedetta-es-credentials, namespace: monitoring}
                stringData: {user: vedetta, pass: s3cret}
                """)} : new JsonNode[0];
        try (RunningPod pod = env.start(scenario, Map.of(), objects)) {
            pod.awaitReady(Duration.ofSeconds(90));

            String sources = scenario.equals("kubelet-apiserver-proxy") ? "cadvisor,kubelet,summary" : "cadvisor,kubelet";
            for (String source : sources.split(",")) {
                String up = "vedetta_source_up{source=\"" + source + "\"} 1";
                assertTrue(Http.await(Duration.ofSeconds(30), () -> pod.get("/metrics").body().contains(up)),
                        () -> scenario + ": " + up + " never appeared; " + pod.status() + "\n" + errors(pod));
            }
        }
    }

    @Test
    void thePrometheusOperatorScenarioRunsTheDefaultsPodSoItIsNotRunAgain() {
        assertEquals(template("defaults"), template("prometheus-operator"),
                "its pod differs from the defaults' now: add it to the scenarios run above");
    }

    private static JsonNode template(String scenario) {
        JsonNode template = RenderedChart.render(RenderedChart.scenario(scenario), Map.of()).daemonSet()
                .path("spec").path("template").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) template.path("metadata").path("annotations")).remove("checksum/config");
        return template;
    }

    private static String errors(RunningPod pod) {
        return String.join("\n", pod.get("/metrics").body().lines()
                .filter(l -> l.startsWith("vedetta_errors_total") && !l.endsWith(" 0.0")).toList());
    }
}

package io.vedetta.testkit.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The container's environment and command line, as the kubelet and the runtime build them. */
class PodEnvironmentTest extends RunnerNodeTest {

    @BeforeAll
    static void apiService() {
        node.apiService("10.96.0.1", 6443);
    }

    @Test
    void downwardApiFieldsResolveToThePodsOwnValues() {
        try (RunningPod pod = node.run(RunnerNode.pod("downward", RunnerNode.SLEEP, """
                env:
                - {name: NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
                - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
                - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                - {name: POD_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
                """, ""))) {
            Map<String, String> env = RunnerNode.environ(pod.containerPid());

            assertEquals("runner-node", env.get("NODE_NAME"));
            assertEquals("10.44.0.1", env.get("HOST_IP"), "the node's address as a pod off the host network reaches it");
            assertEquals(pod.podIp(), env.get("POD_IP"));
            assertEquals("downward", env.get("POD_NAME"));
            assertEquals("runner", env.get("POD_NAMESPACE"));
            assertEquals("runner-test", env.get("APP"));
        }
    }

    @Test
    void valuesExpandVariablesDefinedBeforeThemAndKeepEscapedReferences() {
        try (RunningPod pod = node.run(RunnerNode.pod("expansion",
                "[sh, -c, \"trap 'exit 0' TERM; sleep 600 & wait\", \"$(FIRST)\"]", """
                env:
                - {name: FIRST, value: one}
                - {name: SECOND, value: "$(FIRST)-two"}
                - {name: ESCAPED, value: "$$(FIRST)"}
                - {name: UNDEFINED, value: "$(LATER)"}
                - {name: LATER, value: three}
                """, ""))) {
            Map<String, String> env = RunnerNode.environ(pod.containerPid());

            assertEquals("one-two", env.get("SECOND"));
            assertEquals("$(FIRST)", env.get("ESCAPED"));
            assertEquals("$(LATER)", env.get("UNDEFINED"), "only variables defined before are expanded");
            assertTrue(RunnerNode.read(Path.of("/proc", String.valueOf(pod.containerPid()), "cmdline")).endsWith("\0one\0"),
                    "command arguments are expanded too");
        }
    }

    @Test
    void theKubeletAddsTheApiServersAndTheNamespacesServiceVariables() {
        PodManifest withService = RunnerNode.pod("services", RunnerNode.SLEEP, "", "").with(PodManifest.object("""
                apiVersion: v1
                kind: Service
                metadata: {name: metrics-api, namespace: runner}
                spec: {clusterIP: 10.96.7.7, ports: [{name: http-metrics, port: 9102}]}
                """));
        PodManifest withoutLinks = RunnerNode.pod("no-links", RunnerNode.SLEEP, "", "enableServiceLinks: false")
                .with(withService.objects().toArray(new com.fasterxml.jackson.databind.JsonNode[0]));
        try (RunningPod linked = node.run(withService); RunningPod unlinked = node.run(withoutLinks)) {
            Map<String, String> env = RunnerNode.environ(linked.containerPid());
            Map<String, String> bare = RunnerNode.environ(unlinked.containerPid());

            assertEquals("10.96.0.1", env.get("KUBERNETES_SERVICE_HOST"));
            assertEquals("6443", env.get("KUBERNETES_SERVICE_PORT"));
            assertEquals("10.96.7.7", env.get("METRICS_API_SERVICE_HOST"));
            assertEquals("tcp://10.96.7.7:9102", env.get("METRICS_API_PORT"));
            assertEquals("9102", env.get("METRICS_API_SERVICE_PORT_HTTP_METRICS"));
            assertEquals("10.96.0.1", bare.get("KUBERNETES_SERVICE_HOST"), "the API server's are always there");
            assertFalse(bare.containsKey("METRICS_API_SERVICE_HOST"));
        }
    }

    @Test
    void secretAndConfigMapKeysBecomeVariables() {
        PodManifest manifest = RunnerNode.pod("keys-env", RunnerNode.SLEEP, """
                env:
                - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
                - {name: LEVEL, valueFrom: {configMapKeyRef: {name: settings, key: level}}}
                - {name: ABSENT, valueFrom: {configMapKeyRef: {name: settings, key: absent, optional: true}}}
                """, "").with(PodManifest.object("""
                apiVersion: v1
                kind: Secret
                metadata: {name: creds, namespace: runner}
                stringData: {password: s3cret}
                """), PodManifest.object("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: runner}
                data: {level: debug}
                """));
        try (RunningPod pod = node.run(manifest)) {
            Map<String, String> env = RunnerNode.environ(pod.containerPid());

            assertEquals("s3cret", env.get("PASSWORD"));
            assertEquals("debug", env.get("LEVEL"));
            assertFalse(env.containsKey("ABSENT"));
        }
    }

    @Test
    void theImagesEntrypointTakesTheContainersArgs() {
        ContainerImage image = new ContainerImage("test/entrypoint", List.of("sh", "-c"), List.of("exit 3"),
                Map.of("PATH", "/usr/bin:/bin", "FROM_IMAGE", "yes"), 0L, 0L, "/", Map.of());
        node.addImage(image);
        PodManifest manifest = PodManifest.parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: entrypoint, namespace: runner}
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: c
                    image: test/entrypoint:1.0
                    args: ["trap 'exit 0' TERM; sleep 600 & wait"]
                """);
        try (RunningPod pod = node.run(manifest)) {
            Map<String, String> env = RunnerNode.environ(pod.containerPid());

            assertTrue(RunnerNode.read(Path.of("/proc", String.valueOf(pod.containerPid()), "cmdline"))
                    .startsWith("sh\0-c\0trap"), "args replace the image's cmd after its entrypoint");
            assertEquals("yes", env.get("FROM_IMAGE"));
            assertEquals("entrypoint", env.get("HOSTNAME"));
        }
    }
}

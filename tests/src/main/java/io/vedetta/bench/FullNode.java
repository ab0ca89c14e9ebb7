package io.vedetta.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.testkit.SimulatedKubelet;
import io.vedetta.testkit.SimulatedNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fully packed node for the benchmark: {@value #PODS} running pods of {@value #CONTAINERS} containers each in
 * the mock API (the kubelet's default pod limit), and a kubelet whose {@code /metrics/cadvisor} has those pods'
 * series ({@link FullNodeCadvisor}) and whose {@code /metrics} is the recorded one.
 */
final class FullNode implements AutoCloseable {

    static final int PODS = 110;
    static final int CONTAINERS = 3;
    private static final String[] NAMESPACES = {"shop", "payments", "search", "identity", "data", "monitoring",
        "ingress", "batch", "media", "kube-system"};
    private static final String[] SIDECARS = {"istio-proxy", "log-forwarder"};

    private final SimulatedNode node;
    private final SimulatedKubelet kubelet;
    private final List<Pod> pods;
    private final int cadvisorLines;
    private final int cadvisorBytes;

    FullNode(String nodeName) {
        this.node = new SimulatedNode(nodeName);
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            String namespace = NAMESPACES[i % NAMESPACES.length];
            String app = "app" + (i / 2);
            String pod = app + "-6f" + Integer.toHexString(0x5d9c7 + i) + "-" + Integer.toString(36 * 36 * 36 + i * 7919, 36);
            pods.add(node.addRunningPod(namespace, pod, app, "main", SIDECARS[0], SIDECARS[1]));
        }
        Map<String, byte[]> bodies = new HashMap<>(SimulatedKubelet.recordedResponses());
        byte[] cadvisor = FullNodeCadvisor.render(
                new String(bodies.get("/metrics/cadvisor"), StandardCharsets.UTF_8), pods);
        bodies.put("/metrics/cadvisor", cadvisor);
        this.cadvisorBytes = cadvisor.length;
        this.cadvisorLines = (int) new String(cadvisor, StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("#")).count();
        this.kubelet = new SimulatedKubelet(bodies);
        this.pods = List.copyOf(pods);
    }

    String apiServerUrl() {
        return node.apiServerUrl();
    }

    String kubeletUrl() {
        return kubelet.url();
    }

    String nodeName() {
        return node.nodeName();
    }

    /** The node's API, to add pods to. */
    SimulatedNode node() {
        return node;
    }

    /** The node's pods, in the order they were made. */
    List<Pod> pods() {
        return pods;
    }

    /** Series lines of the generated {@code /metrics/cadvisor}. */
    int cadvisorSeries() {
        return cadvisorLines;
    }

    int cadvisorBytes() {
        return cadvisorBytes;
    }

    @Override
    public void close() {
        kubelet.close();
        node.close();
    }
}

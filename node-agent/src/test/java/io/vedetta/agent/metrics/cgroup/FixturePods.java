package io.vedetta.agent.metrics.cgroup;

import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The discovery cache of the cgroup fixture node: three known pods; the fourth pod's UID is unknown on purpose. */
final class FixturePods implements PodMetadata {

    static final FixturePods NODE = new FixturePods(List.of(
            pod("shop", "checkout-7d9f8b6c5d-x2m4q", "8f2c1d3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f",
                    new PodInfo.ContainerInfo("checkout", "registry.example.com/shop/checkout:1.8.2",
                            "registry.example.com/shop/checkout@sha256:4b1d",
                            "3f1e9a7c2b4d6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071", "containerd", 0),
                    new PodInfo.ContainerInfo("log-forwarder", "fluent/fluent-bit:3.1.9",
                            "fluent/fluent-bit@sha256:9e2a",
                            "5a5b5c5d5e5f505152535455565758595a5b5c5d5e5f50515253545556575859", "containerd", 0)),
            pod("kube-system", "kube-proxy-9xk2d", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                    new PodInfo.ContainerInfo("kube-proxy", "registry.k8s.io/kube-proxy:v1.30.6",
                            "registry.k8s.io/kube-proxy@sha256:77aa",
                            "b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1", "containerd", 0)),
            pod("monitoring", "vedetta-agent-abcde", "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e",
                    new PodInfo.ContainerInfo("agent", "ghcr.io/vedetta/agent:0.1.0", "ghcr.io/vedetta/agent@sha256:1c2d",
                            "c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2", "containerd", 2))));

    private final List<PodInfo> pods;

    private FixturePods(List<PodInfo> pods) {
        this.pods = pods;
    }

    /** The same pods with their containers run by {@code runtime} in their attempt {@code attempt}. */
    static FixturePods runBy(String runtime, int attempt) {
        return new FixturePods(NODE.pods.stream().map(p -> new PodInfo(p.namespace(), p.name(), p.uid(), p.nodeName(),
                p.labels(), p.annotations(), p.ownerKind(), p.ownerName(), p.containers().stream()
                        .map(c -> new PodInfo.ContainerInfo(c.name(), c.image(), c.imageId(), c.containerId(), runtime,
                                attempt))
                        .toList())).toList());
    }

    private static PodInfo pod(String namespace, String name, String uid, PodInfo.ContainerInfo... containers) {
        return new PodInfo(namespace, name, uid, "worker-1", Map.of(), Map.of(), "ReplicaSet", name, List.of(containers));
    }

    @Override
    public Optional<PodInfo> byUid(String podUid) {
        return pods.stream().filter(p -> p.uid().equals(podUid)).findFirst();
    }

    @Override
    public Optional<PodInfo> byName(String namespace, String podName) {
        return pods.stream().filter(p -> p.namespace().equals(namespace) && p.name().equals(podName)).findFirst();
    }

    @Override
    public Optional<PodInfo> byContainerId(String containerId) {
        return pods.stream()
                .filter(p -> p.containers().stream().anyMatch(c -> containerId.equals(c.containerId()))).findFirst();
    }
}

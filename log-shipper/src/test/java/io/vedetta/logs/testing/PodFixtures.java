package io.vedetta.logs.testing;

import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pods as the informer cache would hold them, and a lookup over them that records every call. */
public final class PodFixtures implements PodMetadata {

    public static final String SHOP_CONTAINER_ID = "4f1c7a0e9b2d3c5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f";
    public static final String CHECKOUT_CONTAINER_ID =
            "b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80910a";

    public static PodInfo shopPod() {
        return new PodInfo("shop", "shop-7c9d8f6b5-x2x4q", "0d5e2f1a-8c3b-4e6f-9a7d-1b2c3d4e5f60", "node-a",
                Map.of("app", "shop",
                        "app.kubernetes.io/name", "shop",
                        "app.kubernetes.io/version", "1.4.2",
                        "pod-template-hash", "7c9d8f6b5"),
                Map.of(
                        "vedetta.io/multiline", "java",
                        "kubectl.kubernetes.io/restartedAt", "2024-01-01T00:00:00Z"),
                "ReplicaSet", "shop-7c9d8f6b5",
                List.of(new PodInfo.ContainerInfo("shop", "registry.example.com/shop:1.4.2",
                        "registry.example.com/shop@sha256:"
                                + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                        SHOP_CONTAINER_ID, "containerd", 0)));
    }

    /** A Go service whose pod asks for Go panic joining by annotation. */
    public static PodInfo checkoutPod() {
        return new PodInfo("shop", "checkout-5b6c7d8e9f-abcde", "7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b", "node-a",
                Map.of("app.kubernetes.io/name", "checkout", "app.kubernetes.io/component", "api"),
                Map.of("vedetta.io/multiline", "go"),
                "ReplicaSet", "checkout-5b6c7d8e9f",
                List.of(new PodInfo.ContainerInfo("checkout", "registry.example.com/checkout:2.0.1",
                        "registry.example.com/checkout@sha256:"
                                + "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
                        CHECKOUT_CONTAINER_ID, "containerd", 0)));
    }

    private final List<PodInfo> pods;
    private final List<String> calls = new ArrayList<>();

    public PodFixtures(PodInfo... pods) {
        this.pods = new ArrayList<>(List.of(pods));
    }

    /** The informer has seen a new pod. */
    public void add(PodInfo pod) {
        pods.add(pod);
    }

    /** Every lookup made so far, as "byName ns/pod", "byUid uid" or "byContainerId id". */
    public List<String> calls() {
        return calls;
    }

    @Override
    public Optional<PodInfo> byUid(String podUid) {
        calls.add("byUid " + podUid);
        return pods.stream().filter(p -> p.uid().equals(podUid)).findFirst();
    }

    @Override
    public Optional<PodInfo> byName(String namespace, String podName) {
        calls.add("byName " + namespace + "/" + podName);
        return pods.stream().filter(p -> p.namespace().equals(namespace) && p.name().equals(podName)).findFirst();
    }

    @Override
    public Optional<PodInfo> byContainerId(String containerId) {
        calls.add("byContainerId " + containerId);
        return pods.stream().filter(p -> p.containers().stream().anyMatch(c -> c.containerId().equals(containerId)))
                .findFirst();
    }
}

package io.vedetta.pods;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the log shipper knows of one pod: enough to enrich its records fluentd-style.
 * Immutable; the cache replaces the whole value when the pod changes.
 */
public record PodInfo(
        String namespace,
        String name,
        String uid,
        String nodeName,
        Map<String, String> labels,
        Map<String, String> annotations,
        String ownerKind,
        String ownerName,
        List<ContainerInfo> containers) {

    public PodInfo {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        containers = List.copyOf(containers);
    }

    public Optional<ContainerInfo> container(String containerName) {
        return containers.stream().filter(c -> c.name().equals(containerName)).findFirst();
    }

    /**
     * One container of the pod; {@code containerId} is bare (no {@code containerd://} prefix), empty until it runs.
     * {@code runtime} is the scheme of the status' container ID ({@code containerd}, {@code cri-o},
     * {@code docker}), empty until it runs; {@code attempt} is the kubelet's attempt number of the current run
     * (its restart count), which runtimes put in their container names.
     */
    public record ContainerInfo(String name, String image, String imageId, String containerId, String runtime,
            int attempt) {
    }
}

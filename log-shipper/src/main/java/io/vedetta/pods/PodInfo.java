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

    /** One container of the pod; {@code containerId} is bare (no {@code containerd://} prefix), empty until it runs. */
    public record ContainerInfo(String name, String image, String imageId, String containerId) {
    }
}

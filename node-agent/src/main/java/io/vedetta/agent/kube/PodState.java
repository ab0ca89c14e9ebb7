package io.vedetta.agent.kube;

import io.vedetta.logs.enrich.PodInfo;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything the agent keeps of one pod of its node: the metadata the log shipper enriches with and the
 * status the {@code kube_pod_*} series are built from. Immutable; the cache replaces it on every change.
 * {@code ownerKind}/{@code ownerName} name the controlling owner (empty when there is none), as
 * kube-state-metrics' {@code created_by_*} labels do. {@code scheduled} is the status of the pod's PodScheduled
 * condition ({@code True}, {@code False}, {@code Unknown}; empty without one) and {@code scheduledAt} its last
 * transition in Unix seconds (NaN when unknown).
 */
public record PodState(
        String namespace,
        String name,
        String uid,
        String nodeName,
        Map<String, String> labels,
        Map<String, String> annotations,
        String ownerKind,
        String ownerName,
        String phase,
        String statusReason,
        String hostIp,
        String podIp,
        String priorityClass,
        boolean hostNetwork,
        List<ContainerState> initContainers,
        List<ContainerState> containers,
        String scheduled,
        double scheduledAt) {

    public PodState {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        initContainers = List.copyOf(initContainers);
        containers = List.copyOf(containers);
    }

    /** Init containers first, as they start: both kinds write log files the shipper must enrich. */
    public Stream<ContainerState> allContainers() {
        return Stream.concat(initContainers.stream(), containers.stream());
    }

    /** Current and previous container IDs: a restarted container's last lines are still read after its restart. */
    public Stream<String> containerIds() {
        return allContainers()
                .flatMap(c -> Stream.of(c.containerId(), c.lastContainerId()))
                .filter(id -> !id.isEmpty());
    }

    public PodInfo toPodInfo() {
        return new PodInfo(namespace, name, uid, nodeName, labels, annotations, ownerKind, ownerName,
                allContainers()
                        .map(c -> new PodInfo.ContainerInfo(c.name(), c.image(), c.imageId(), c.containerId()))
                        .toList());
    }
}

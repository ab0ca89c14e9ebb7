package io.vedetta.agent.kube;

import io.vedetta.logs.enrich.PodInfo;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything the agent keeps of one pod of its node: the metadata the log shipper enriches with and the
 * status the {@code kube_pod_*} series are built from. Immutable; the cache replaces it on every change.
 * {@code ownerKind}/{@code ownerName} name the controlling owner (empty when there is none), as
 * kube-state-metrics' {@code created_by_*} labels do; {@code owners} are all owner references, for
 * {@code kube_pod_owner}. {@code ready} is the status of the pod's {@code Ready} condition ({@code True},
 * {@code False}, {@code Unknown}), empty while it has none.
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
        List<Owner> owners,
        String ready) {

    /** One owner reference; {@code controller} is its {@code controller} field, false when unset. */
    public record Owner(String kind, String name, boolean controller) {
    }

    public PodState {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        initContainers = List.copyOf(initContainers);
        containers = List.copyOf(containers);
        owners = List.copyOf(owners);
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
                        .map(c -> new PodInfo.ContainerInfo(c.name(), c.image(), c.imageId(), c.containerId(),
                                c.runtime(), c.restartCount()))
                        .toList());
    }
}

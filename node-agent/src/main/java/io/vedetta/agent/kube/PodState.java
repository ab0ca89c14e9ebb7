package io.vedetta.agent.kube;

import io.vedetta.pods.PodInfo;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything the agent keeps of one pod of its node: the {@link PodInfo} the log shipper and the metric sources read
 * (identity, labels, owner, containers) and the status the {@code kube_pod_*} series are built from. Immutable; the
 * cache replaces it on every change. The pod's containers are {@link PodInfo#containers()}, init containers first;
 * {@code initContainers} and {@code containers} add their status. {@code owners} are all owner references, for
 * {@code kube_pod_owner} (the pod's controlling owner is {@link PodInfo#ownerKind()}/{@link PodInfo#ownerName()}).
 * {@code ready} is the status of the pod's {@code Ready} condition ({@code True}, {@code False}, {@code Unknown}),
 * empty while it has none; {@code scheduled} that of its {@code PodScheduled} condition and {@code scheduledAt} its
 * last transition in Unix seconds (NaN when unknown).
 */
public record PodState(
        PodInfo pod,
        String phase,
        String statusReason,
        String hostIp,
        String podIp,
        String priorityClass,
        boolean hostNetwork,
        List<ContainerState> initContainers,
        List<ContainerState> containers,
        List<Owner> owners,
        String ready,
        String scheduled,
        double scheduledAt) {

    /** One owner reference; {@code controller} is its {@code controller} field, false when unset. */
    public record Owner(String kind, String name, boolean controller) {
    }

    public PodState {
        initContainers = List.copyOf(initContainers);
        containers = List.copyOf(containers);
        owners = List.copyOf(owners);
    }

    /** A pod read from the API: its {@link PodInfo} lists the containers of {@code initContainers} and {@code containers}. */
    public static PodState of(String namespace, String name, String uid, String nodeName, Map<String, String> labels,
            Map<String, String> annotations, String ownerKind, String ownerName, String phase, String statusReason,
            String hostIp, String podIp, String priorityClass, boolean hostNetwork, List<ContainerState> initContainers,
            List<ContainerState> containers, List<Owner> owners, String ready, String scheduled, double scheduledAt) {
        PodInfo pod = new PodInfo(namespace, name, uid, nodeName, labels, annotations, ownerKind, ownerName,
                Stream.concat(initContainers.stream(), containers.stream()).map(ContainerState::container).toList());
        return new PodState(pod, phase, statusReason, hostIp, podIp, priorityClass, hostNetwork, initContainers,
                containers, owners, ready, scheduled, scheduledAt);
    }

    public String namespace() {
        return pod.namespace();
    }

    public String name() {
        return pod.name();
    }

    public String uid() {
        return pod.uid();
    }

    public String nodeName() {
        return pod.nodeName();
    }

    public String ownerKind() {
        return pod.ownerKind();
    }

    public String ownerName() {
        return pod.ownerName();
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
}

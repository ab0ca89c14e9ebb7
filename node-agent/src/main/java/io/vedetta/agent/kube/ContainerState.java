package io.vedetta.agent.kube;

import io.vedetta.pods.PodInfo.ContainerInfo;
import java.util.Map;
import java.util.Optional;

/**
 * One container of a pod as the API server last reported it: what the log shipper knows of it
 * ({@link ContainerInfo}: name, image, bare container ID and runtime, empty until it has run) and its status.
 * {@code lastContainerId} is the previous run's, whose log file may still be read after a restart.
 * A reason is present exactly while the container is in that state (it may be the empty string when the
 * kubelet gave none); {@code lastTerminatedReason} comes from the previous run, the one a crash loop ended.
 * {@code requests} and {@code limits} map a resource name to its amount in base units (cores, bytes).
 */
public record ContainerState(
        ContainerInfo container,
        boolean ready,
        int restartCount,
        Optional<String> waitingReason,
        Optional<String> terminatedReason,
        Optional<String> lastTerminatedReason,
        String lastContainerId,
        Map<String, Double> requests,
        Map<String, Double> limits) {

    public ContainerState {
        requests = Map.copyOf(requests);
        limits = Map.copyOf(limits);
    }

    public String name() {
        return container.name();
    }

    public String containerId() {
        return container.containerId();
    }
}

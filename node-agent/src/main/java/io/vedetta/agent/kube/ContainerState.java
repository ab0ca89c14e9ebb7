package io.vedetta.agent.kube;

import java.util.Map;
import java.util.Optional;

/**
 * One container of a pod as the API server last reported it: spec (name, image) merged with status.
 * Container IDs are bare (no {@code containerd://} prefix) and empty until the container has run; {@code runtime}
 * is that prefix ({@code containerd}, {@code cri-o}, {@code docker}), empty until then;
 * {@code lastContainerId} is the previous run's, whose log file may still be read after a restart.
 * A reason is present exactly while the container is in that state (it may be the empty string when the
 * kubelet gave none); {@code lastTerminatedReason} comes from the previous run, the one a crash loop ended.
 * {@code requests} and {@code limits} map a resource name to its amount in base units (cores, bytes).
 */
public record ContainerState(
        String name,
        String image,
        String imageId,
        String containerId,
        String runtime,
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
}

package io.vedetta.agent.kube;

import java.util.Optional;

/**
 * One container of a pod as the API server last reported it: spec (name, image) merged with status.
 * {@code containerId} is bare (no {@code containerd://} prefix) and empty until the container has run.
 * A reason is present exactly while the container is in that state (it may be the empty string when the
 * kubelet gave none); {@code lastTerminatedReason} comes from the previous run, the one a crash loop ended.
 */
public record ContainerState(
        String name,
        String image,
        String imageId,
        String containerId,
        boolean ready,
        int restartCount,
        Optional<String> waitingReason,
        Optional<String> terminatedReason,
        Optional<String> lastTerminatedReason,
        String lastContainerId) {

    public boolean running() {
        return !containerId.isEmpty() && waitingReason.isEmpty() && terminatedReason.isEmpty();
    }
}

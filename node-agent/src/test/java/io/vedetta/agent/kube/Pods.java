package io.vedetta.agent.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;

/** Pods as the API server sends them, for the tests of this package. */
final class Pods {

    static final String NODE = "node-a";

    private Pods() {
    }

    /** A running single-container pod of a ReplicaSet on node-a. */
    static Pod running(String namespace, String name, String uid, String containerId) {
        return pod(namespace, name, uid, "Running", new ContainerStatusBuilder()
                .withName("app").withImage("registry.example/app:1.2").withImageID("registry.example/app@sha256:feed")
                .withContainerID("containerd://" + containerId).withReady(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().endState()
                .build());
    }

    /** A pod whose container was OOM-killed {@code restarts} times and now waits in CrashLoopBackOff. */
    static Pod crashLooping(String namespace, String name, String uid, int restarts) {
        return pod(namespace, name, uid, "Running", new ContainerStatusBuilder()
                .withName("app").withImage("registry.example/app:1.2").withImageID("registry.example/app@sha256:feed")
                .withContainerID("containerd://" + "c".repeat(64)).withReady(false).withRestartCount(restarts)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 5m0s restarting failed container").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withContainerID("containerd://" + "c".repeat(64)).endTerminated().endLastState()
                .build());
    }

    static Pod pod(String namespace, String name, String uid, String phase, ContainerStatus status) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).withUid(uid).withResourceVersion("1")
                .addToLabels("app", name.replaceAll("-\\d+$", ""))
                .addToAnnotations("prometheus.io/scrape", "true")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(name + "-rs")
                .withUid(uid + "-owner").withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName(NODE).withPriorityClassName("high")
                .addNewContainer().withName(status.getName()).withImage("registry.example/app:1.2").endContainer()
                .endSpec()
                .withNewStatus().withPhase(phase).withHostIP("10.0.0.5").withPodIP("10.244.1.7")
                .addNewCondition().withType("Ready").withStatus(Boolean.TRUE.equals(status.getReady()) ? "True" : "False")
                .endCondition()
                .withContainerStatuses(List.of(status)).endStatus()
                .build();
    }
}

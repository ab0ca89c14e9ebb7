package io.vedetta.agent.cluster.state;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Objects in the states the cluster alerts are about, as the API server would hold them. */
final class ClusterObjects {

    static final String CREATED = "2026-11-25T10:00:00Z";

    private ClusterObjects() {
    }

    /** A Deployment whose rollout passed its progress deadline: 3 wanted, 1 available, Progressing=False. */
    static void stuckDeployment(KubernetesClient c) {
        c.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder()
                .withNewMetadata().withNamespace("shop").withName("web").withGeneration(4L)
                .withCreationTimestamp(CREATED).endMetadata()
                .withNewSpec().withReplicas(3).withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withNewMaxUnavailable("25%").withNewMaxSurge("25%").endRollingUpdate().endStrategy().endSpec()
                .withNewStatus().withReplicas(3).withReadyReplicas(1).withAvailableReplicas(1)
                .withUnavailableReplicas(2).withUpdatedReplicas(1).withObservedGeneration(4L)
                .addNewCondition().withType("Available").withStatus("False").withReason("MinimumReplicasUnavailable")
                .endCondition()
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .endCondition().endStatus().build()).create();
    }

    static void replicaSetOf(KubernetesClient c, String deployment, String name) {
        c.apps().replicaSets().inNamespace("shop").resource(new ReplicaSetBuilder()
                .withNewMetadata().withNamespace("shop").withName(name).withGeneration(1L).withCreationTimestamp(CREATED)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(deployment)
                .withUid("uid-" + deployment).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withReplicas(3).endSpec()
                .withNewStatus().withReplicas(3).withFullyLabeledReplicas(3).withReadyReplicas(1)
                .withObservedGeneration(1L).endStatus().build()).create();
    }

    static void statefulSetMidUpdate(KubernetesClient c) {
        c.apps().statefulSets().inNamespace("data").resource(new StatefulSetBuilder()
                .withNewMetadata().withNamespace("data").withName("db").withGeneration(2L).withCreationTimestamp(CREATED)
                .endMetadata().withNewSpec().withReplicas(3).endSpec()
                .withNewStatus().withReplicas(3).withCurrentReplicas(2).withReadyReplicas(2).withAvailableReplicas(2)
                .withUpdatedReplicas(1).withObservedGeneration(2L).withCurrentRevision("db-5d8f")
                .withUpdateRevision("db-7c9a").endStatus().build()).create();
    }

    static void daemonSetMissingOneNode(KubernetesClient c) {
        c.apps().daemonSets().inNamespace("kube-system").resource(new DaemonSetBuilder()
                .withNewMetadata().withNamespace("kube-system").withName("proxy").withGeneration(1L)
                .withCreationTimestamp(CREATED).endMetadata()
                .withNewStatus().withDesiredNumberScheduled(3).withCurrentNumberScheduled(2).withNumberReady(2)
                .withNumberAvailable(2).withNumberUnavailable(1).withNumberMisscheduled(0)
                .withUpdatedNumberScheduled(2).withObservedGeneration(1L).endStatus().build()).create();
    }

    /** A Job that hit its backoff limit, owned by a CronJob. */
    static void failedJob(KubernetesClient c) {
        c.batch().v1().jobs().inNamespace("batch").resource(new JobBuilder()
                .withNewMetadata().withNamespace("batch").withName("report-2911").withCreationTimestamp(CREATED)
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName("report")
                .withUid("uid-report").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withCompletions(1).withParallelism(1).withBackoffLimit(2).endSpec()
                .withNewStatus().withActive(0).withSucceeded(0).withFailed(3).withStartTime("2026-11-25T10:00:05Z")
                .addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                .endCondition().endStatus().build()).create();
    }

    static void runningJob(KubernetesClient c) {
        c.batch().v1().jobs().inNamespace("batch").resource(new JobBuilder()
                .withNewMetadata().withNamespace("batch").withName("migrate").withCreationTimestamp(CREATED).endMetadata()
                .withNewSpec().withCompletions(1).endSpec()
                .withNewStatus().withActive(1).withStartTime("2026-11-25T10:00:05Z").endStatus().build()).create();
    }

    static void cronJob(KubernetesClient c, String name, boolean suspended) {
        c.batch().v1().cronjobs().inNamespace("batch").resource(new CronJobBuilder()
                .withNewMetadata().withNamespace("batch").withName(name).withCreationTimestamp(CREATED).endMetadata()
                .withNewSpec().withSchedule("*/15 * * * *").withSuspend(suspended).withConcurrencyPolicy("Forbid")
                .withNewJobTemplate().endJobTemplate().endSpec()
                .withNewStatus().withLastScheduleTime("2026-11-25T10:30:00Z").endStatus().build()).create();
    }

    /**
     * A worker the node controller marked unreachable, and a tainted, ready control-plane node with its role in both
     * labels kubectl reads (and a role label with no name, which names no role).
     */
    static void nodes(KubernetesClient c) {
        c.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").withCreationTimestamp(CREATED)
                .endMetadata()
                .withNewSpec().withPodCIDR("10.244.1.0/24").withProviderID("kind://worker-1")
                .addNewTaint().withKey("node.kubernetes.io/unreachable").withEffect("NoSchedule").endTaint().endSpec()
                .withNewStatus()
                .addNewCondition().withType("Ready").withStatus("Unknown").withReason("NodeStatusUnknown").endCondition()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.11").endAddress()
                .addToCapacity("cpu", new Quantity("4")).addToCapacity("memory", new Quantity("16Gi"))
                .addToCapacity("pods", new Quantity("110")).addToCapacity("ephemeral-storage", new Quantity("100Gi"))
                .addToCapacity("nvidia.com/gpu", new Quantity("1"))
                .addToAllocatable("cpu", new Quantity("3800m")).addToAllocatable("memory", new Quantity("15Gi"))
                .withNewNodeInfo().withKernelVersion("6.1.0").withOsImage("Debian GNU/Linux 12")
                .withContainerRuntimeVersion("containerd://1.7.2").withKubeletVersion("v1.31.2")
                .withKubeProxyVersion("v1.31.2").withSystemUUID("uuid-1").endNodeInfo().endStatus().build()).create();
        c.nodes().resource(new NodeBuilder().withNewMetadata().withName("control-1").withCreationTimestamp(CREATED)
                .addToLabels("node-role.kubernetes.io/control-plane", "").addToLabels("kubernetes.io/role", "master")
                .addToLabels("node-role.kubernetes.io/", "").endMetadata()
                .withNewSpec().addNewTaint().withKey("node-role.kubernetes.io/control-plane").withEffect("NoSchedule")
                .endTaint().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .endCondition().endStatus().build()).create();
    }

    /**
     * An autoscaler at its maximum (ScalingLimited), one that leaves minReplicas unset, and a budget with one
     * healthy pod fewer than it wants.
     */
    static void autoscalersAndBudgets(KubernetesClient c) {
        c.autoscaling().v2().horizontalPodAutoscalers().inNamespace("shop").resource(
                new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder()
                        .withNewMetadata().withNamespace("shop").withName("web").endMetadata()
                        .withNewSpec().withMinReplicas(2).withMaxReplicas(10).withNewScaleTargetRef()
                        .withApiVersion("apps/v1").withKind("Deployment").withName("web").endScaleTargetRef().endSpec()
                        .withNewStatus().withCurrentReplicas(10).withDesiredReplicas(10)
                        .addNewCondition().withType("AbleToScale").withStatus("True").withReason("ReadyForNewScale")
                        .endCondition()
                        .addNewCondition().withType("ScalingLimited").withStatus("True").withReason("TooManyReplicas")
                        .endCondition().endStatus().build()).create();
        c.autoscaling().v2().horizontalPodAutoscalers().inNamespace("shop").resource(
                new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder()
                        .withNewMetadata().withNamespace("shop").withName("api").endMetadata()
                        .withNewSpec().withMaxReplicas(4).withNewScaleTargetRef().withApiVersion("apps/v1")
                        .withKind("Deployment").withName("api").endScaleTargetRef().endSpec().build()).create();
        c.policy().v1().podDisruptionBudget().inNamespace("shop").resource(
                new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder()
                        .withNewMetadata().withNamespace("shop").withName("db").withCreationTimestamp(CREATED)
                        .endMetadata()
                        .withNewSpec().withNewMinAvailable(3).endSpec()
                        .withNewStatus().withCurrentHealthy(2).withDesiredHealthy(3).withDisruptionsAllowed(0)
                        .withExpectedPods(3).withObservedGeneration(1L).endStatus().build()).create();
    }

    /** A quota with its CPU requests used up, pods over their hard limit, and memory well within. */
    static void exhaustedQuota(KubernetesClient c) {
        c.resourceQuotas().inNamespace("shop").resource(new ResourceQuotaBuilder()
                .withNewMetadata().withNamespace("shop").withName("compute").withCreationTimestamp(CREATED).endMetadata()
                .withNewSpec().addToHard("requests.cpu", new Quantity("4")).addToHard("requests.memory", new Quantity("8Gi"))
                .addToHard("count/pods", new Quantity("10")).endSpec()
                .withNewStatus().addToHard("requests.cpu", new Quantity("4"))
                .addToHard("requests.memory", new Quantity("8Gi")).addToHard("count/pods", new Quantity("10"))
                .addToUsed("requests.cpu", new Quantity("4000m")).addToUsed("requests.memory", new Quantity("2Gi"))
                .addToUsed("count/pods", new Quantity("12")).endStatus().build()).create();
    }

    /** A volume its provisioner could not recycle (Failed), one bound, and one not yet provisioned (no phase). */
    static void volumes(KubernetesClient c) {
        c.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-failed").endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity("10Gi")).withStorageClassName("nfs")
                .withNewNfs().withServer("filer.example").withPath("/exports/a").endNfs().endSpec()
                .withNewStatus().withPhase("Failed").withMessage("recycle failed").endStatus().build()).create();
        c.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-bound").endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity("500Mi")).withStorageClassName("fast")
                .withNewCsi().withDriver("pd.csi.storage.gke.io").withVolumeHandle("projects/p/disks/d-1").endCsi()
                .withNewClaimRef().withNamespace("data").withName("db-data-0").endClaimRef().endSpec()
                .withNewStatus().withPhase("Bound").endStatus().build()).create();
        c.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-new").endMetadata()
                .build()).create();
    }

    static void namespaces(KubernetesClient c) {
        c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").withCreationTimestamp(CREATED)
                .endMetadata().withNewStatus().withPhase("Active").endStatus().build()).create();
        c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("old").withCreationTimestamp(CREATED)
                .endMetadata().withNewStatus().withPhase("Terminating").endStatus().build()).create();
    }

    static void pendingClaim(KubernetesClient c) {
        c.persistentVolumeClaims().inNamespace("data").resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withNamespace("data").withName("db-data-0").withCreationTimestamp(CREATED).endMetadata()
                .withNewSpec().withStorageClassName("fast").withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build()).create();
    }
}

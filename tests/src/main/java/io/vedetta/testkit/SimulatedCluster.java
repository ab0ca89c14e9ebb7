package io.vedetta.testkit;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventSeries;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The cluster-wide objects of a simulated cluster, made through the mock API server as controllers would leave
 * them: nodes, namespaces, workloads in the states the cluster alerts are about, claims, pods of no node, and
 * events. Used by the end-to-end tests, the multi-agent tests, the demo and the cluster benchmark.
 */
public final class SimulatedCluster {

    private final KubernetesClient client;

    public SimulatedCluster(KubernetesClient client) {
        this.client = client;
    }

    /** A few of everything, some healthy and some in trouble: what the e2e environment and the demo show. */
    public void typical(String nodeName) {
        node(nodeName, true);
        node("worker-lost", false);
        controlPlane("control-plane-1");
        namespace("shop");
        namespace("batch");
        deployment("shop", "web", 3, 3);
        deployment("shop", "checkout", 2, 2);
        stuckDeployment("shop", "payments");
        statefulSet("shop", "db", 3, 3);
        daemonSet("kube-system", "kube-proxy", 2, 2);
        failedJob("batch", "report-29112");
        runningJob("batch", "migrate");
        cronJob("batch", "report", "*/5 * * * *", false);
        cronJob("batch", "cleanup", "0 3 * * *", true);
        claim("shop", "db-data-0", "Bound");
        autoscaler("shop", "web", 2, 10, 3);
        budget("shop", "db", 2, 3);
        pendingPod("shop", "payments-big-0");
        event("shop", "payments-big-0.1", "FailedScheduling", "Warning",
                "0/2 nodes are available: 2 Insufficient cpu.", "Pod", "payments-big-0");
        event("batch", "report-29112.1", "BackoffLimitExceeded", "Warning", "Job has reached the specified backoff limit",
                "Job", "report-29112");
        event("shop", "web.1", "ScalingReplicaSet", "Normal", "Scaled up replica set web-5d9c7b to 3",
                "Deployment", "web");
    }

    public void node(String name, boolean ready) {
        client.nodes().resource(nodeBuilder(name, ready).build()).create();
    }

    /** A ready control-plane node: its role label, and the taint that keeps workloads off it. */
    public void controlPlane(String name) {
        client.nodes().resource(nodeBuilder(name, true)
                .editMetadata().addToLabels("node-role.kubernetes.io/control-plane", "").endMetadata()
                .editSpec().addNewTaint().withKey("node-role.kubernetes.io/control-plane").withEffect("NoSchedule")
                .endTaint().endSpec().build()).create();
    }

    private static NodeBuilder nodeBuilder(String name, boolean ready) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDR("10.244.0.0/24").withProviderID("simulated://" + name).endSpec()
                .withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "Unknown")
                .withReason(ready ? "KubeletReady" : "NodeStatusUnknown").endCondition()
                .addNewCondition().withType("MemoryPressure").withStatus(ready ? "False" : "Unknown").endCondition()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0." + (10 + Math.abs(name.hashCode() % 200)))
                .endAddress()
                .addToCapacity("cpu", new Quantity("4")).addToCapacity("memory", new Quantity("16Gi"))
                .addToCapacity("pods", new Quantity("110"))
                .addToAllocatable("cpu", new Quantity("3800m")).addToAllocatable("memory", new Quantity("15Gi"))
                .addToAllocatable("pods", new Quantity("110"))
                .withNewNodeInfo().withKernelVersion("6.1.0-27-amd64").withOsImage("Debian GNU/Linux 12 (bookworm)")
                .withContainerRuntimeVersion("containerd://1.7.22").withKubeletVersion("v1.31.2")
                .withKubeProxyVersion("v1.31.2").withSystemUUID(UUID.nameUUIDFromBytes(name.getBytes()).toString())
                .endNodeInfo().endStatus();
        if (!ready) {
            node.editSpec().addNewTaint().withKey("node.kubernetes.io/unreachable").withEffect("NoSchedule").endTaint()
                    .addNewTaint().withKey("node.kubernetes.io/unreachable").withEffect("NoExecute").endTaint()
                    .endSpec();
        }
        return node;
    }

    public void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withPhase("Active").endStatus().build()).create();
    }

    /** A Deployment with {@code available} of {@code replicas} available, and its current ReplicaSet. */
    public void deployment(String namespace, String name, int replicas, int available) {
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withNewMaxUnavailable("25%").withNewMaxSurge("25%").endRollingUpdate().endStrategy().endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(available).withAvailableReplicas(available)
                .withUnavailableReplicas(replicas - available).withUpdatedReplicas(replicas).withObservedGeneration(1L)
                .addNewCondition().withType("Available").withStatus(available == replicas ? "True" : "False")
                .withReason(available == replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                .endCondition()
                .addNewCondition().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable")
                .endCondition().endStatus().build()).create();
        replicaSet(namespace, name + "-5d9c7b", name, replicas, available);
    }

    /** A Deployment whose rollout passed its progress deadline (Progressing=False), one of three available. */
    public void stuckDeployment(String namespace, String name) {
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withReplicas(3).endSpec()
                .withNewStatus().withReplicas(3).withReadyReplicas(1).withAvailableReplicas(1).withUnavailableReplicas(2)
                .withUpdatedReplicas(1).withObservedGeneration(1L)
                .addNewCondition().withType("Available").withStatus("False").withReason("MinimumReplicasUnavailable")
                .endCondition()
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .endCondition().endStatus().build()).create();
        replicaSet(namespace, name + "-7f6d4c", name, 3, 1);
    }

    /** A ReplicaSet of {@code deployment}, or a bare one (made by hand, owned by nothing) when it is null. */
    public void replicaSet(String namespace, String name, String deployment, int replicas, int ready) {
        ReplicaSetBuilder replicaSet = new ReplicaSetBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .endMetadata();
        if (deployment != null) {
            replicaSet.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment")
                    .withName(deployment)
                    .withUid(UUID.nameUUIDFromBytes((namespace + "/" + deployment).getBytes()).toString())
                    .withController(true).endOwnerReference().endMetadata();
        }
        client.apps().replicaSets().inNamespace(namespace).resource(replicaSet
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withReplicas(replicas).withFullyLabeledReplicas(replicas).withReadyReplicas(ready)
                .withAvailableReplicas(ready).withObservedGeneration(1L).endStatus().build()).create();
    }

    public void statefulSet(String namespace, String name, int replicas, int ready) {
        client.apps().statefulSets().inNamespace(namespace).resource(new StatefulSetBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withReplicas(replicas).withCurrentReplicas(replicas).withReadyReplicas(ready)
                .withAvailableReplicas(ready).withUpdatedReplicas(replicas).withObservedGeneration(1L)
                .withCurrentRevision(name + "-6b8f9c").withUpdateRevision(name + "-6b8f9c").endStatus().build()).create();
    }

    public void daemonSet(String namespace, String name, int desired, int current) {
        client.apps().daemonSets().inNamespace(namespace).resource(new DaemonSetBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewStatus().withDesiredNumberScheduled(desired).withCurrentNumberScheduled(current)
                .withNumberReady(current).withNumberAvailable(current).withNumberUnavailable(desired - current)
                .withNumberMisscheduled(0).withUpdatedNumberScheduled(current).withObservedGeneration(1L).endStatus()
                .build()).create();
    }

    /** A Job that hit its backoff limit, owned by a CronJob. */
    public void failedJob(String namespace, String name) {
        client.batch().v1().jobs().inNamespace(namespace).resource(new JobBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name)
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName("report")
                .withUid(UUID.nameUUIDFromBytes((namespace + "/report").getBytes()).toString()).withController(true)
                .endOwnerReference().endMetadata()
                .withNewSpec().withCompletions(1).withParallelism(1).withBackoffLimit(2).endSpec()
                .withNewStatus().withActive(0).withSucceeded(0).withFailed(3).withStartTime(ago(20))
                .addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                .endCondition().endStatus().build()).create();
    }

    /** A bare Job (owned by nothing), running. */
    public void runningJob(String namespace, String name) {
        runningJob(namespace, name, null);
    }

    /** A running Job, started by {@code cronJob} (owned by it), or bare when that is null. */
    public void runningJob(String namespace, String name, String cronJob) {
        JobBuilder job = new JobBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata();
        if (cronJob != null) {
            job.editMetadata().addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName(cronJob)
                    .withUid(UUID.nameUUIDFromBytes((namespace + "/" + cronJob).getBytes()).toString())
                    .withController(true).endOwnerReference().endMetadata();
        }
        client.batch().v1().jobs().inNamespace(namespace).resource(job
                .withNewSpec().withCompletions(1).withParallelism(1).endSpec()
                .withNewStatus().withActive(1).withStartTime(ago(5)).endStatus().build()).create();
    }

    public void cronJob(String namespace, String name, String schedule, boolean suspended) {
        client.batch().v1().cronjobs().inNamespace(namespace).resource(new CronJobBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withSchedule(schedule).withSuspend(suspended).withConcurrencyPolicy("Forbid")
                .withNewJobTemplate().endJobTemplate().endSpec()
                .withNewStatus().withLastScheduleTime(ago(3)).endStatus().build()).create();
    }

    /** An autoscaler of the Deployment {@code name}, settled at {@code replicas}. */
    public void autoscaler(String namespace, String name, int min, int max, int replicas) {
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).resource(
                new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder()
                        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                        .withNewSpec().withMinReplicas(min).withMaxReplicas(max).withNewScaleTargetRef()
                        .withApiVersion("apps/v1").withKind("Deployment").withName(name).endScaleTargetRef().endSpec()
                        .withNewStatus().withCurrentReplicas(replicas).withDesiredReplicas(replicas)
                        .addNewCondition().withType("AbleToScale").withStatus("True").withReason("ReadyForNewScale")
                        .endCondition().endStatus().build()).create();
    }

    /** A PodDisruptionBudget wanting {@code minAvailable} healthy pods of the {@code expected}, all healthy. */
    public void budget(String namespace, String name, int minAvailable, int expected) {
        client.policy().v1().podDisruptionBudget().inNamespace(namespace).resource(
                new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder()
                        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                        .withNewSpec().withNewMinAvailable(minAvailable).endSpec()
                        .withNewStatus().withCurrentHealthy(expected).withDesiredHealthy(minAvailable)
                        .withDisruptionsAllowed(expected - minAvailable).withExpectedPods(expected)
                        .withObservedGeneration(1L).endStatus().build()).create();
    }

    public void claim(String namespace, String name, String phase) {
        client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withStorageClassName("standard").withAccessModes("ReadWriteOnce").withVolumeMode("Filesystem")
                .withVolumeName("pvc-" + UUID.nameUUIDFromBytes(name.getBytes()))
                .withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build()).create();
    }

    /** A pod the scheduler cannot place: no node, PodScheduled False (Unschedulable). */
    public Pod pendingPod(String namespace, String name) {
        return client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).withUid(UUID.randomUUID().toString())
                .endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.example/" + name + ":1.0")
                .withNewResources().addToRequests("cpu", new Quantity("64")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/2 nodes are available: 2 Insufficient cpu.")
                .withLastTransitionTime(ago(10)).endCondition().endStatus().build()).create();
    }

    /** An events.k8s.io/v1 Event about {@code kind}/{@code regarding} in {@code namespace}. */
    public Event event(String namespace, String name, String reason, String type, String note, String kind,
            String regarding) {
        return client.events().v1().events().inNamespace(namespace).resource(new EventBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withReason(reason).withType(type).withNote(note).withAction(reason)
                .withReportingController("simulated-controller").withReportingInstance("controller-0")
                .withEventTime(new MicroTime(Instant.now().truncatedTo(ChronoUnit.MICROS).toString()))
                .withNewRegarding().withKind(kind).withName(regarding).withNamespace(namespace).withApiVersion("v1")
                .endRegarding().build()).create();
    }

    /** The event happened once more: its series count goes up, as an event recorder updates it. */
    public Event repeat(String namespace, String name) {
        return client.events().v1().events().inNamespace(namespace).withName(name).edit(e -> {
            int count = e.getSeries() == null ? 1 : e.getSeries().getCount();
            e.setSeries(new EventSeries(count + 1, new MicroTime(Instant.now().truncatedTo(ChronoUnit.MICROS).toString())));
            return e;
        });
    }

    private static String ago(int minutes) {
        return Instant.now().minus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}

package io.vedetta.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Objects as real clusters hold them, for the cluster benchmark: ReplicaSets, Jobs and pending pods with a
 * production-sized pod template (labels, annotations, two containers with environment, resources and probes,
 * a few kilobytes of JSON each), made by several writers at once.
 */
final class ClusterObjectsForBench {

    private final KubernetesClient client;

    ClusterObjectsForBench(KubernetesClient client) {
        this.client = client;
    }

    void replicaSets(int from, int to) throws Exception {
        parallel(from, to, i -> client.apps().replicaSets().inNamespace(namespace(i)).resource(new ReplicaSetBuilder()
                .withNewMetadata().withNamespace(namespace(i)).withName("app-" + i / 10 + "-" + hash(i))
                .withLabels(labels(i)).withAnnotations(Map.of("deployment.kubernetes.io/revision", "" + i % 10,
                        "deployment.kubernetes.io/desired-replicas", "3", "deployment.kubernetes.io/max-replicas", "4"))
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("app-" + i / 10)
                .withUid(UUID.nameUUIDFromBytes(("d" + i / 10).getBytes()).toString()).withController(true)
                .withBlockOwnerDeletion(true).endOwnerReference().endMetadata()
                .withNewSpec().withReplicas(i % 10 == 0 ? 3 : 0).withNewSelector().withMatchLabels(labels(i)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels(i)).endMetadata().withSpec(podSpec(i))
                .endTemplate().endSpec()
                .withNewStatus().withReplicas(i % 10 == 0 ? 3 : 0).withFullyLabeledReplicas(i % 10 == 0 ? 3 : 0)
                .withReadyReplicas(i % 10 == 0 ? 3 : 0).withObservedGeneration(1L).endStatus().build()).create());
    }

    void pendingPods(int from, int to) throws Exception {
        parallel(from, to, i -> client.pods().inNamespace(namespace(i)).resource(new PodBuilder()
                .withNewMetadata().withNamespace(namespace(i)).withName("pending-" + i).withLabels(labels(i))
                .endMetadata().withSpec(podSpec(i))
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/100 nodes are available: 100 Insufficient cpu.")
                .endCondition().endStatus().build()).create());
    }

    void jobs(int from, int to) throws Exception {
        parallel(from, to, i -> client.batch().v1().jobs().inNamespace(namespace(i)).resource(new JobBuilder()
                .withNewMetadata().withNamespace(namespace(i)).withName("job-" + i).withLabels(labels(i))
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName("cron-" + i / 50)
                .withUid(UUID.nameUUIDFromBytes(("c" + i / 50).getBytes()).toString()).withController(true)
                .endOwnerReference().endMetadata()
                .withNewSpec().withCompletions(1).withParallelism(1).withBackoffLimit(6).withNewTemplate()
                .withNewMetadata().withLabels(labels(i)).endMetadata().withSpec(podSpec(i)).endTemplate().endSpec()
                .withNewStatus().withSucceeded(1).withStartTime("2026-12-01T10:00:00Z")
                .withCompletionTime("2026-12-01T10:02:00Z").addNewCondition().withType("Complete").withStatus("True")
                .endCondition().endStatus().build()).create());
    }

    private static PodSpec podSpec(int i) {
        return new PodSpecBuilder().withServiceAccountName("app").withContainers(container("app", i),
                container("sidecar", i)).build();
    }

    private static Container container(String name, int i) {
        ContainerBuilder c = new ContainerBuilder().withName(name)
                .withImage("registry.example.com/team-" + i % 20 + "/" + name + ":1." + i % 50 + ".0")
                .withNewResources().addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("memory", new Quantity("512Mi")).endResources()
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(8080).endHttpGet()
                .withPeriodSeconds(10).endReadinessProbe();
        for (int e = 0; e < 8; e++) {
            c.addNewEnv().withName("SETTING_" + e).withValue("value-" + e + "-" + i % 7).endEnv();
        }
        return c.build();
    }

    private static Map<String, String> labels(int i) {
        return Map.of("app.kubernetes.io/name", "app-" + i / 10, "app.kubernetes.io/part-of", "team-" + i % 20,
                "pod-template-hash", hash(i));
    }

    private static String namespace(int i) {
        return "team-" + i % 20;
    }

    private static String hash(int i) {
        return Integer.toHexString(0x5d9c7b00 + i);
    }

    private static void parallel(int from, int to, IntConsumer make) throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            Future<?>[] done = new Future<?>[writers];
            for (int w = 0; w < writers; w++) {
                int first = from + w;
                done[w] = pool.submit(() -> {
                    for (int i = first; i < to; i += writers) {
                        make.accept(i);
                    }
                });
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}

package io.vedetta.testkit;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A node as the agent sees it through the API: the fabric8 mock API server in CRUD mode (with node
 * field selectors honoured and an events watch cache, see {@link ClusterCrudDispatcher}) holding that node's pods,
 * and whatever else of the cluster a test adds ({@link SimulatedCluster}). Used by the end-to-end tests and by the
 * demo.
 */
public final class SimulatedNode implements AutoCloseable {

    private final String nodeName;
    private final ClusterCrudDispatcher dispatcher;
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    public SimulatedNode(String nodeName) {
        this.nodeName = nodeName;
        this.dispatcher = new ClusterCrudDispatcher();
        this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        this.client = server.createClient();
    }

    public String nodeName() {
        return nodeName;
    }

    /** The API server URL the agent is pointed at ({@code kubernetes.apiServer}). */
    public String apiServerUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public KubernetesClient client() {
        return client;
    }

    public ClusterCrudDispatcher dispatcher() {
        return dispatcher;
    }

    /** A running pod of this node with one container per name. */
    public Pod addRunningPod(String namespace, String name, String app, String... containers) {
        return addRunningPod(namespace, name, app, Map.of(), containers);
    }

    /** A running pod of this node with these annotations and one container per name. */
    public Pod addRunningPod(String namespace, String name, String app, Map<String, String> annotations,
            String... containers) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).withUid(UUID.randomUUID().toString())
                .addToAnnotations(annotations)
                .addToLabels("app", app).addToLabels("app.kubernetes.io/name", app)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(app + "-5d9c7b")
                .withUid(UUID.randomUUID().toString()).withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName(nodeName).endSpec()
                .withNewStatus().withPhase("Running").withHostIP("10.0.0.10").withPodIP("10.244.0." + (name.length() + 10))
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus();
        for (String container : containers) {
            String image = "registry.example/" + app + "/" + container + ":1.0";
            pod.editSpec().addNewContainer().withName(container).withImage(image)
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi"))
                    .addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("256Mi"))
                    .endResources()
                    .endContainer().endSpec();
            pod.editStatus().addToContainerStatuses(new ContainerStatusBuilder()
                    .withName(container).withImage(image).withImageID(image + "@sha256:" + hex(64))
                    .withContainerID("containerd://" + hex(64)).withReady(true).withRestartCount(0)
                    .withNewState().withNewRunning().withStartedAt("2026-11-25T00:00:00Z").endRunning().endState()
                    .build()).endStatus();
        }
        return client.pods().inNamespace(namespace).resource(pod.build()).create();
    }

    /**
     * Moves the pod's first container one restart further into a crash loop: restart count +1, waiting
     * in CrashLoopBackOff, last terminated as OOMKilled, not ready.
     */
    public Pod crashLoop(String namespace, String name) {
        return setFirstContainer(namespace, name, status -> new ContainerStatusBuilder(status)
                .withReady(false).withRestartCount(status.getRestartCount() + 1)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off restarting failed container").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withFinishedAt("2026-11-25T00:00:00Z").endTerminated().endLastState()
                .build());
    }

    /** Puts the pod's first container in waiting with {@code reason} (e.g. ImagePullBackOff), not ready. */
    public Pod waitFor(String namespace, String name, String reason) {
        return setFirstContainer(namespace, name, status -> new ContainerStatusBuilder(status).withReady(false)
                .withNewState().withNewWaiting().withReason(reason).endWaiting().endState().build());
    }

    /** Puts the pod's first container back to running and ready. */
    public Pod run(String namespace, String name) {
        return setFirstContainer(namespace, name, status -> new ContainerStatusBuilder(status).withReady(true)
                .withNewState().withNewRunning().withStartedAt("2026-11-25T00:00:00Z").endRunning().endState().build());
    }

    /**
     * Makes the pod owned by one controller of {@code kind} named {@code owner} (a DaemonSet, a StatefulSet, a
     * ReplicaSet, a Job, the Node of a static pod), or by nothing (a bare pod) when {@code kind} is null.
     */
    public Pod ownedBy(String namespace, String name, String kind, String owner) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        pod.getMetadata().setOwnerReferences(kind == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(
                java.util.List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                        .withApiVersion(kind.equals("Node") ? "v1" : kind.equals("Job") ? "batch/v1" : "apps/v1").withKind(kind).withName(owner)
                        .withUid(UUID.randomUUID().toString()).withController(true).build())));
        return client.pods().inNamespace(namespace).resource(pod).update();
    }

    /** Changes the first container's status; the pod's Ready condition follows its containers' readiness. */
    private Pod setFirstContainer(String namespace, String name, java.util.function.UnaryOperator<ContainerStatus> change) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        pod.getStatus().getContainerStatuses().set(0, change.apply(pod.getStatus().getContainerStatuses().get(0)));
        boolean ready = pod.getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
        pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .forEach(c -> c.setStatus(ready ? "True" : "False"));
        return client.pods().inNamespace(namespace).resource(pod).update();
    }

    /** Changes the pod as {@code change} says (annotations, IP, ports) and updates it in the API. */
    public Pod update(String namespace, String name, java.util.function.UnaryOperator<Pod> change) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        return client.pods().inNamespace(namespace).resource(change.apply(pod)).update();
    }

    public void deletePod(String namespace, String name) {
        client.pods().inNamespace(namespace).withName(name).delete();
    }

    private static String hex(int length) {
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            out.append(UUID.randomUUID().toString().replace("-", ""));
        }
        return out.substring(0, length).toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}

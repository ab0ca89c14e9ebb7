package io.vedetta.agent.kube;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import java.util.List;
import java.util.function.UnaryOperator;
import tools.jackson.databind.json.JsonMapper;

/** How the agent's Kubernetes clients are built: the one place for settings every client shares. */
public final class KubeClients {

    /**
     * The kinds whose watch events the agent reads, and {@link Status}, which an ERROR watch event carries (a 410
     * Gone among them, on which an informer lists again). fabric8 maps a watch event's object to its class by
     * apiVersion and kind; a kind missing here still arrives, as a generic resource converted to the watched class.
     */
    static final List<Class<? extends KubernetesResource>> WATCHED_KINDS = List.of(Status.class,
            Pod.class, Namespace.class, Node.class, PersistentVolume.class, PersistentVolumeClaim.class,
            ResourceQuota.class, Deployment.class, StatefulSet.class, DaemonSet.class, ReplicaSet.class, Job.class,
            CronJob.class, HorizontalPodAutoscaler.class, PodDisruptionBudget.class, Event.class);

    /**
     * fabric8's default serialization with the class-path search off: that search instantiates every kind listed by
     * every fabric8 model jar (351, Gateway API and dynamic resource allocation among them), which cost a
     * metrics-only agent 545 more classes and ~5 MB of metaspace for kinds it never reads (BENCHMARKS.md). Shared by
     * all clients, so each deserializer is built once.
     */
    private static final KubernetesSerialization SERIALIZATION = watchedKindsOnly();

    private KubeClients() {
    }

    /** A client for {@code config} over the JDK's HTTP client. */
    public static KubernetesClient build(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory())
                .withKubernetesSerialization(SERIALIZATION).build();
    }

    /**
     * A client like {@code client} with {@code change} applied to its configuration (credentials, TLS and API server
     * stay the same); {@code client} is closed.
     */
    public static KubernetesClient reconfigured(KubernetesClient client, UnaryOperator<ConfigBuilder> change) {
        Config config = change.apply(new ConfigBuilder(client.getConfiguration())).build();
        client.close();
        return build(config);
    }

    /**
     * The User-Agent an agent sends: its version and its node, so the API server's audit log and request metrics
     * tell the agents apart (and a leader's cluster-wide requests from a follower's node-scoped ones).
     */
    public static String userAgent(String version, String nodeName) {
        return "vedetta-agent/" + version + " (" + nodeName + ")";
    }

    private static KubernetesSerialization watchedKindsOnly() {
        // The mapper fabric8's no-argument constructor builds; only the search flag differs.
        KubernetesSerialization serialization = new KubernetesSerialization(
                JsonMapper.builderWithJackson2Defaults().addModule(new Jackson2JdkTypesModule()).build(), false);
        WATCHED_KINDS.forEach(serialization::registerKubernetesResource);
        return serialization;
    }
}

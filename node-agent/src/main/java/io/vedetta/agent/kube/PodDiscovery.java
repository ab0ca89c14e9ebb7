package io.vedetta.agent.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.vedetta.agent.config.KubernetesConfig;
import io.vedetta.agent.lifecycle.Part;
import io.vedetta.agent.metrics.Registries;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers the pods of this node with one node-scoped informer ({@code fieldSelector=spec.nodeName=$NODE_NAME})
 * and keeps the {@link PodCache} in step; with {@code kubernetes.namespaceLabels} a second informer keeps the
 * namespaces' labels. Start never blocks: readiness waits for the first sync, and an unreachable API server is
 * retried with backoff for as long as the agent runs. Owns the client it is given and closes it on stop.
 */
public final class PodDiscovery implements Part {

    private static final Logger LOG = LoggerFactory.getLogger(PodDiscovery.class);

    private final KubernetesClient client;
    private final ScheduledExecutorService executor;
    private final SupervisedInformer<Pod> pods;
    private final Optional<SupervisedInformer<Namespace>> namespaces;

    public PodDiscovery(KubernetesConfig config, KubernetesClient client, PodCache cache, Registries registries) {
        this.client = client;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vedetta-pod-discovery");
            t.setDaemon(true);
            return t;
        });
        WatchErrors errors = new WatchErrors(registries.micrometer());
        String apiServer = String.valueOf(client.getMasterUrl());
        this.pods = new SupervisedInformer<>("pod informer", apiServer,
                () -> client.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName()).runnableInformer(0),
                new PodHandler(cache),
                // The store is filled before the handler hears of it: put the listed pods in the cache here, so
                // that readiness (reported once this has run) never precedes the cache.
                store -> {
                    List<Pod> listed = store.list();
                    listed.forEach(p -> cache.put(PodStates.from(p)));
                    cache.retainOnly(listed.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet()));
                },
                config.retryInitial(), config.retryMax(), executor, errors);
        this.namespaces = config.namespaceLabels()
                ? Optional.of(new SupervisedInformer<>("namespace informer", apiServer,
                        () -> client.namespaces().runnableInformer(0),
                        new NamespaceHandler(cache),
                        listed -> { },
                        config.retryInitial(), config.retryMax(), executor, errors))
                : Optional.empty();
    }

    /**
     * The client for {@code kubernetes.apiServer} when set, else fabric8's auto-configuration (in the cluster: the
     * service account's token and CA). TLS is always verified. Request-level retries are off because
     * {@link SupervisedInformer} retries with the configured backoff; fabric8's own watch reconnects start at
     * {@code retryInitial}.
     */
    public static KubernetesClient createClient(KubernetesConfig config) {
        ConfigBuilder builder = new ConfigBuilder(Config.autoConfigure(null))
                .withTrustCerts(false)
                .withDisableHostnameVerification(false)
                .withRequestRetryBackoffLimit(0)
                .withWatchReconnectInterval(Math.toIntExact(config.retryInitial().toMillis()));
        config.apiServer().ifPresent(uri -> builder.withMasterUrl(uri.toString()));
        Config built = builder.build();
        if (built.getMasterUrl() != null && built.getMasterUrl().startsWith("http://")
                && (built.getOauthToken() != null || built.getAutoOAuthToken() != null
                        || built.getOauthTokenProvider() != null
                        || built.getPassword() != null)) {
            LOG.warn("the credentials for the Kubernetes API go to {} over plain HTTP (kubernetes.apiServer):"
                    + " anyone on the path can read them and act with their rights; use an https:// URL",
                    built.getMasterUrl());
        }
        return KubeClients.build(built);
    }

    @Override
    public String name() {
        return "pod-discovery";
    }

    @Override
    public void start() {
        pods.start();
        namespaces.ifPresent(SupervisedInformer::start);
    }

    @Override
    public void stop(Duration grace) {
        pods.stop();
        namespaces.ifPresent(SupervisedInformer::stop);
        executor.shutdownNow();
        client.close();
    }

    @Override
    public Optional<String> notReadyReason() {
        return pods.notReadyReason().or(() -> namespaces.flatMap(SupervisedInformer::notReadyReason));
    }

    /** True while the informers have listed and are watching: the value of {@code vedetta_kube_synced}. */
    public boolean synced() {
        return pods.synced() && namespaces.map(SupervisedInformer::synced).orElse(true);
    }

    private record PodHandler(PodCache cache) implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            cache.put(PodStates.from(pod));
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            cache.put(PodStates.from(newPod));
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            cache.delete(pod.getMetadata().getUid());
        }
    }

    private record NamespaceHandler(PodCache cache) implements ResourceEventHandler<Namespace> {
        @Override
        public void onAdd(Namespace namespace) {
            cache.putNamespaceLabels(namespace.getMetadata().getName(), labels(namespace));
        }

        @Override
        public void onUpdate(Namespace oldNamespace, Namespace newNamespace) {
            onAdd(newNamespace);
        }

        @Override
        public void onDelete(Namespace namespace, boolean deletedFinalStateUnknown) {
            cache.deleteNamespace(namespace.getMetadata().getName());
        }

        private static Map<String, String> labels(Namespace namespace) {
            Map<String, String> labels = namespace.getMetadata().getLabels();
            return labels == null ? Map.of() : new HashMap<>(labels);
        }
    }
}

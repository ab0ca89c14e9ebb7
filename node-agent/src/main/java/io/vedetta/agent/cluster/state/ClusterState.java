package io.vedetta.agent.cluster.state;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.config.KubernetesConfig;
import io.vedetta.agent.kube.PodState;
import io.vedetta.agent.kube.PodStates;
import io.vedetta.agent.kube.SupervisedInformer;
import io.vedetta.agent.kube.WatchErrors;
import io.vedetta.agent.metrics.MetricName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The leader's cluster-wide watches: one informer per {@link Family} and one for the pods of no node, each storing
 * only what its series need ({@link TransformingStore}), listed from the API server's watch cache
 * ({@code resourceVersion=0}) and watched with bookmarks (fabric8's informer does both). Started when this agent
 * starts leading, stopped and emptied the moment it stops, so a follower holds nothing and asks nothing.
 *
 * <p>The watches start one after another, each once the one before has listed (or after {@link #LIST_WAIT} at the
 * latest, so one resource the API server refuses does not hold up the rest): a list served from the watch cache
 * comes whole, and fabric8 holds all of its objects until it has stored them, so lists made at once would need
 * the heap of all of them together (measured in BENCHMARKS.md, "Cluster collector").
 */
public final class ClusterState {

    /**
     * An informer's family, and the informer and store of the current term. Each term gets a new store: what a
     * stopped informer still writes while its watch winds down lands in the old one.
     */
    private static final class Watched<T extends HasMetadata, S> {
        final String resource;
        final Class<T> type;
        final Function<KubernetesClient, SharedIndexInformer<T>> informers;
        final Function<T, S> keep;
        final Family<T, S> family;
        volatile TransformingStore<T, S> store;
        volatile SupervisedInformer<T> informer;

        Watched(String resource, Class<T> type, Function<KubernetesClient, SharedIndexInformer<T>> informers,
                Function<T, S> keep, Family<T, S> family) {
            this.resource = resource;
            this.type = type;
            this.informers = informers;
            this.keep = keep;
            this.family = family;
            this.store = new TransformingStore<>(type, keep);
        }

        static <T extends HasMetadata, S> Watched<T, S> of(Family<T, S> family) {
            return new Watched<>(family.resource(), family.type(), family::informer, family::keep, family);
        }

        boolean listed() {
            SupervisedInformer<T> current = informer;
            return current != null && current.notReadyReason().isEmpty();
        }
    }

    static final Duration LIST_WAIT = Duration.ofSeconds(30);

    private static final List<Family<?, ?>> FAMILIES = List.of(new DeploymentFamily(), new StatefulSetFamily(),
            new DaemonSetFamily(), new ReplicaSetFamily(), new JobFamily(), new CronJobFamily(), new NodeFamily(),
            new NamespaceFamily(), new PersistentVolumeClaimFamily(), new HorizontalPodAutoscalerFamily(),
            new PodDisruptionBudgetFamily());

    private final KubernetesClient client;
    private final KubernetesConfig kubernetes;
    private final ScheduledExecutorService executor;
    private final WatchErrors errors;
    private final List<Watched<?, ?>> watched = new ArrayList<>();
    private final Watched<Pod, PodState> unscheduled;
    /** Counts the terms: what a sequence of starts schedules for an ended term does nothing. */
    private final AtomicLong terms = new AtomicLong();

    public ClusterState(KubernetesClient client, KubernetesConfig kubernetes, ScheduledExecutorService executor,
            WatchErrors errors) {
        this.client = client;
        this.kubernetes = kubernetes;
        this.executor = executor;
        this.errors = errors;
        FAMILIES.forEach(f -> watched.add(Watched.of(f)));
        // The scheduler's own selector: pods without a node. Once scheduled, a pod leaves this watch and its
        // node's agent (whose watch is spec.nodeName=<node>) has it.
        this.unscheduled = new Watched<>("pods", Pod.class, c -> c.pods().inAnyNamespace()
                .withField("spec.nodeName", "").runnableInformer(0), PodStates::from, null);
        watched.add(unscheduled);
    }

    /** Every series this part can expose, for the catalogue. */
    public static List<MetricName> series() {
        return ClusterSeries.ALL;
    }

    public void startWatching() {
        startFrom(0, terms.incrementAndGet());
    }

    /** Starts the watch at {@code index}, and the next one once it has listed or waited long enough. */
    private void startFrom(int index, long term) {
        if (index >= watched.size() || term != terms.get()) {
            return;
        }
        AtomicBoolean next = new AtomicBoolean();
        Runnable startNext = () -> {
            if (next.compareAndSet(false, true)) {
                startFrom(index + 1, term);
            }
        };
        start(watched.get(index), startNext);
        executor.schedule(startNext, LIST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T extends HasMetadata, S> void start(Watched<T, S> w, Runnable listed) {
        TransformingStore<T, S> store = new TransformingStore<>(w.type, w.keep);
        w.store = store;
        SupervisedInformer<T> informer = new SupervisedInformer<>(w.resource + " informer (cluster)",
                String.valueOf(client.getMasterUrl()), () -> {
                    SharedIndexInformer<T> i = w.informers.apply(client);
                    i.itemStore(store);
                    // The store is read whole at scrape time; a namespace index would only cost memory.
                    i.removeNamespaceIndex();
                    return i;
                }, null, ignored -> listed.run(), kubernetes.retryInitial(), kubernetes.retryMax(), executor, errors);
        w.informer = informer;
        informer.start();
    }

    /** Stops every watch at once and forgets what they held. */
    public void stopWatching() {
        terms.incrementAndGet();
        watched.forEach(ClusterState::stop);
    }

    private static <T extends HasMetadata, S> void stop(Watched<T, S> w) {
        SupervisedInformer<T> informer = w.informer;
        w.informer = null;
        if (informer != null) {
            informer.stop();
        }
        w.store = new TransformingStore<>(w.type, w.keep);
    }

    /** The pods of no node while leading, for the pod-state series; empty otherwise. */
    public Collection<PodState> unscheduledPods() {
        return unscheduled.listed() ? unscheduled.store.states() : List.of();
    }

    /** True once every watch of this term has listed. */
    public boolean listed() {
        return watched.stream().allMatch(Watched::listed);
    }

    /** The cluster series, only while {@code leading}, and of each resource only once its watch has listed. */
    public MultiCollector collector(BooleanSupplier leading) {
        return () -> {
            if (!leading.getAsBoolean()) {
                return MetricSnapshots.of();
            }
            SeriesWriter out = new SeriesWriter();
            for (Watched<?, ?> w : watched) {
                boolean listed = w.listed();
                if (listed && w.family != null) {
                    write(w, out);
                }
                out.gauge(ClusterSeries.OBJECTS, w.store.size(), w.resource);
                out.gauge(ClusterSeries.SYNCED, listed && w.informer != null && w.informer.synced() ? 1 : 0,
                        w.resource);
            }
            return new MetricSnapshots(out.snapshots());
        };
    }

    private static <T extends HasMetadata, S> void write(Watched<T, S> w, SeriesWriter out) {
        w.family.write(w.store.states(), out);
    }
}

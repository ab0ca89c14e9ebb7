package io.vedetta.agent.kube;

import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The pods of this node, kept by the informer and read by the log shipper (through {@link PodMetadata}) and
 * by the pod-state collector. Lookups never call the API. A deleted pod's metadata stays for
 * {@code deletionGrace} so the last lines of its files are still enriched, but it leaves {@link #livePods()}
 * at once, so its pod-state series disappear at deletion. Writes come from one informer thread at a time;
 * reads are lock-free and see whole {@link PodState} values.
 */
public final class PodCache implements PodMetadata {

    private record Entry(PodState state, Optional<Instant> deletedAt) {
    }

    private final Duration deletionGrace;
    private final Clock clock;
    private final Map<String, Entry> byUid = new ConcurrentHashMap<>();
    private final Map<String, String> uidByName = new ConcurrentHashMap<>();
    private final Map<String, String> uidByContainerId = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> namespaceLabels = new ConcurrentHashMap<>();

    public PodCache(Duration deletionGrace, Clock clock) {
        this.deletionGrace = deletionGrace;
        this.clock = clock;
    }

    /** Adds or replaces a pod; a pod seen again after it was marked deleted is live again. */
    public synchronized void put(PodState pod) {
        purgeExpired();
        Entry old = byUid.put(pod.uid(), new Entry(pod, Optional.empty()));
        Set<String> ids = pod.containerIds().collect(Collectors.toSet());
        if (old != null) {
            old.state().containerIds().filter(id -> !ids.contains(id))
                    .forEach(id -> uidByContainerId.remove(id, pod.uid()));
        }
        uidByName.put(nameKey(pod.namespace(), pod.name()), pod.uid());
        ids.forEach(id -> uidByContainerId.put(id, pod.uid()));
    }

    /** Starts the deletion grace of a pod; its metadata is still found until the grace has passed. */
    public synchronized void delete(String uid) {
        purgeExpired();
        byUid.computeIfPresent(uid, (k, e) -> e.deletedAt().isPresent()
                ? e : new Entry(e.state(), Optional.of(clock.instant())));
    }

    /**
     * After a fresh list: every live pod not in {@code uids} was deleted while the agent was not watching.
     */
    public synchronized void retainOnly(Set<String> uids) {
        byUid.values().stream()
                .filter(e -> e.deletedAt().isEmpty() && !uids.contains(e.state().uid()))
                .map(e -> e.state().uid())
                .toList()
                .forEach(this::delete);
    }

    public void putNamespaceLabels(String namespace, Map<String, String> labels) {
        namespaceLabels.put(namespace, Map.copyOf(labels));
    }

    public void deleteNamespace(String namespace) {
        namespaceLabels.remove(namespace);
    }

    /** Labels of a namespace; empty unless {@code kubernetes.namespaceLabels} is on. */
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    @Override
    public Optional<PodInfo> byUid(String podUid) {
        return find(podUid).map(e -> e.state().pod());
    }

    @Override
    public Optional<PodInfo> byName(String namespace, String podName) {
        return Optional.ofNullable(uidByName.get(nameKey(namespace, podName))).flatMap(this::byUid);
    }

    @Override
    public Optional<PodInfo> byContainerId(String containerId) {
        return Optional.ofNullable(uidByContainerId.get(PodStates.bareContainerId(containerId))).flatMap(this::byUid);
    }

    /** The full state of a pod, including one in its deletion grace. */
    public Optional<PodState> state(String podUid) {
        return find(podUid).map(Entry::state);
    }

    /** Pods currently on the node (not deleted), ordered by namespace and name for stable exposition. */
    public List<PodState> livePods() {
        return byUid.values().stream()
                .filter(e -> e.deletedAt().isEmpty())
                .map(Entry::state)
                .sorted(Comparator.comparing(PodState::namespace).thenComparing(PodState::name))
                .toList();
    }

    /** Drops the metadata of pods whose deletion grace has passed; also done on every write. */
    public synchronized void purgeExpired() {
        byUid.values().stream().filter(this::expired).toList().forEach(e -> {
            PodState pod = e.state();
            byUid.remove(pod.uid(), e);
            uidByName.remove(nameKey(pod.namespace(), pod.name()), pod.uid());
            pod.containerIds().forEach(id -> uidByContainerId.remove(id, pod.uid()));
        });
    }

    private Optional<Entry> find(String uid) {
        return Optional.ofNullable(byUid.get(uid)).filter(e -> !expired(e));
    }

    private boolean expired(Entry e) {
        return e.deletedAt().map(at -> !clock.instant().isBefore(at.plus(deletionGrace))).orElse(false);
    }

    private static String nameKey(String namespace, String name) {
        return namespace + '/' + name;
    }
}

package io.vedetta.agent.kube;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.metrics.MetricName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Builds the node-local {@code kube_pod_*} series from the {@link PodCache} at scrape time, with
 * kube-state-metrics' value semantics: one phase series per phase (1 for the current one), a reason series
 * only while a container is in that state, restart counts as counters, and regular containers only
 * (init containers have their own families there). The pods of no node (pending, unschedulable) come from the
 * elected cluster collector, which alone watches them, so no pod's series are exposed by two agents.
 */
public final class PodStateCollector implements MultiCollector {

    /** kube-state-metrics' phase order, and the reason with which the node controller marks a lost node. */
    private static final List<String> PHASES = List.of("Pending", "Succeeded", "Failed", "Unknown", "Running");
    private static final String NODE_LOST = "NodeLost";
    /** kube-state-metrics' condition values, one series each with 1 for the condition's status. */
    private static final List<String> CONDITIONS = List.of("true", "false", "unknown");
    /**
     * kube-state-metrics' pod status reasons, one series each with 1 for the pod's {@code status.reason}.
     * {@code SchedulingGated} (kube-state-metrics#2880) marks pods held before scheduling: such a pod has no node
     * yet, so its series come from the cluster collector's pods of no node, never from a node's own.
     */
    private static final List<String> STATUS_REASONS = List.of("Evicted", "NodeAffinity", "NodeLost",
            "SchedulingGated", "Shutdown", "UnexpectedAdmissionError");
    /** Compiled once: String.replaceAll compiled it for every container's resources at every scrape. */
    private static final Pattern NOT_LABEL_CHAR = Pattern.compile("[^a-zA-Z0-9_]");

    private final PodCache cache;
    private final BooleanSupplier synced;
    private final Supplier<Collection<PodState>> unscheduled;
    private final LabelsMemo memo = new LabelsMemo();
    /** The last scrape's series and the pods they were built from; replaced whole, as scrapes may overlap. */
    private volatile Built last;

    /**
     * Series built from exactly these pod instances: a {@link PodState} is immutable and the cache replaces it on
     * every change, so while the same instances are there (between a node's pod changes, most scrapes) the series
     * are the same and are served again rather than rebuilt, which on a full node was a tenth of a scrape's CPU.
     */
    private record Built(List<PodState> nodePods, List<PodState> extra, boolean synced, MetricSnapshots series) {

        boolean builtFrom(List<PodState> nodePods, Collection<PodState> extra, boolean synced) {
            return this.synced == synced && sameInstances(this.nodePods, nodePods) && sameInstances(this.extra, extra);
        }

        private static boolean sameInstances(List<PodState> built, Collection<PodState> now) {
            if (built.size() != now.size()) {
                return false;
            }
            int i = 0;
            for (PodState pod : now) {
                if (built.get(i++) != pod) {
                    return false;
                }
            }
            return true;
        }
    }

    public PodStateCollector(PodCache cache, BooleanSupplier synced) {
        this(cache, synced, List::of);
    }

    /** @param unscheduled the pods of no node, while this agent is the cluster collector; empty otherwise */
    public PodStateCollector(PodCache cache, BooleanSupplier synced, Supplier<Collection<PodState>> unscheduled) {
        this.cache = cache;
        this.synced = synced;
        this.unscheduled = unscheduled;
    }

    @Override
    public MetricSnapshots collect() {
        cache.purgeExpired();
        List<PodState> nodePods = cache.livePods();
        Collection<PodState> extra = unscheduled.get();
        boolean isSynced = synced.getAsBoolean();
        Built built = last;
        if (built != null && built.builtFrom(nodePods, extra, isSynced)) {
            return built.series();
        }
        MetricSnapshots series = build(nodePods, extra, isSynced);
        last = new Built(nodePods, List.copyOf(extra), isSynced, series);
        return series;
    }

    private MetricSnapshots build(List<PodState> nodePods, Collection<PodState> extra, boolean isSynced) {
        List<PodState> pods = nodePods;
        if (!extra.isEmpty()) {
            pods = new ArrayList<>(nodePods);
            pods.addAll(extra);
        }
        memo.trim(pods.size());
        return MetricSnapshots.of(
                info(pods),
                owners(pods),
                phase(pods),
                podReady(pods),
                statusReason(pods),
                restarts(pods),
                reason(pods, KubeMetrics.CONTAINER_WAITING_REASON, ContainerState::waitingReason),
                reason(pods, KubeMetrics.CONTAINER_TERMINATED_REASON, ContainerState::terminatedReason),
                reason(pods, KubeMetrics.CONTAINER_LAST_TERMINATED_REASON, ContainerState::lastTerminatedReason),
                ready(pods),
                resources(pods, KubeMetrics.CONTAINER_RESOURCE_REQUESTS, ContainerState::requests),
                resources(pods, KubeMetrics.CONTAINER_RESOURCE_LIMITS, ContainerState::limits),
                scheduled(pods),
                unschedulable(pods),
                scheduledTime(pods),
                gauge(KubeMetrics.PODS).dataPoint(point(Labels.EMPTY, nodePods.size())).build(),
                gauge(KubeMetrics.SYNCED).dataPoint(point(Labels.EMPTY, isSynced ? 1 : 0)).build());
    }

    private InfoSnapshot info(List<PodState> pods) {
        InfoSnapshot.Builder b = InfoSnapshot.builder()
                .name(KubeMetrics.snapshotName(KubeMetrics.POD_INFO)).help(KubeMetrics.POD_INFO.help());
        for (PodState p : pods) {
            b.dataPoint(InfoDataPointSnapshot.builder().labels(labels(KubeMetrics.POD_INFO,
                    p.namespace(), p.name(), p.uid(), p.hostIp(), p.podIp(), p.nodeName(), p.ownerKind(),
                    p.ownerName(), p.priorityClass(), Boolean.toString(p.hostNetwork()))).build());
        }
        return b.build();
    }

    private GaugeSnapshot owners(List<PodState> pods) {
        MetricName m = KubeMetrics.POD_OWNER;
        GaugeSnapshot.Builder b = gauge(m);
        for (PodState p : pods) {
            if (p.owners().isEmpty()) {
                b.dataPoint(point(labels(m, p.namespace(), p.name(), p.uid(), "", "", ""), 1));
            }
            for (PodState.Owner o : p.owners()) {
                b.dataPoint(point(labels(m, p.namespace(), p.name(), p.uid(), o.kind(), o.name(),
                        Boolean.toString(o.controller())), 1));
            }
        }
        return b.build();
    }

    /** The pod's {@code Ready} condition as kube-state-metrics writes conditions; no series without one. */
    private GaugeSnapshot podReady(List<PodState> pods) {
        MetricName m = KubeMetrics.POD_STATUS_READY;
        GaugeSnapshot.Builder b = gauge(m);
        for (PodState p : pods) {
            if (p.ready().isEmpty()) {
                continue;
            }
            String status = p.ready().toLowerCase(java.util.Locale.ROOT);
            for (String condition : CONDITIONS) {
                b.dataPoint(point(labels(m, p.namespace(), p.name(), p.uid(), condition),
                        condition.equals(status) ? 1 : 0));
            }
        }
        return b.build();
    }

    private GaugeSnapshot statusReason(List<PodState> pods) {
        MetricName m = KubeMetrics.POD_STATUS_REASON;
        GaugeSnapshot.Builder b = gauge(m);
        for (PodState p : pods) {
            for (String reason : STATUS_REASONS) {
                b.dataPoint(point(labels(m, p.namespace(), p.name(), p.uid(), reason),
                        reason.equals(p.statusReason()) ? 1 : 0));
            }
        }
        return b.build();
    }

    private GaugeSnapshot phase(List<PodState> pods) {
        GaugeSnapshot.Builder b = gauge(KubeMetrics.POD_STATUS_PHASE);
        for (PodState p : pods) {
            if (p.phase().isEmpty()) {
                continue;
            }
            String phase = NODE_LOST.equals(p.statusReason()) ? "Unknown" : p.phase();
            for (String candidate : PHASES) {
                b.dataPoint(point(labels(KubeMetrics.POD_STATUS_PHASE, p.namespace(), p.name(), p.uid(), candidate),
                        candidate.equals(phase) ? 1 : 0));
            }
        }
        return b.build();
    }

    private CounterSnapshot restarts(List<PodState> pods) {
        MetricName m = KubeMetrics.CONTAINER_RESTARTS;
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(KubeMetrics.snapshotName(m)).help(m.help());
        for (PodState p : pods) {
            for (ContainerState c : p.containers()) {
                b.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(labels(m, p.namespace(), p.name(), p.uid(), c.name()))
                        .value(c.restartCount()).build());
            }
        }
        return b.build();
    }

    private GaugeSnapshot reason(List<PodState> pods, MetricName m,
            Function<ContainerState, Optional<String>> reason) {
        GaugeSnapshot.Builder b = gauge(m);
        for (PodState p : pods) {
            for (ContainerState c : p.containers()) {
                reason.apply(c).ifPresent(r ->
                        b.dataPoint(point(labels(m, p.namespace(), p.name(), p.uid(), c.name(), r), 1)));
            }
        }
        return b.build();
    }

    /** kube-state-metrics' resource series: cpu in cores, memory and storage in bytes, anything else as is. */
    private GaugeSnapshot resources(List<PodState> pods, MetricName m,
            Function<ContainerState, Map<String, Double>> amounts) {
        GaugeSnapshot.Builder b = gauge(m);
        for (PodState p : pods) {
            for (ContainerState c : p.containers()) {
                amounts.apply(c).forEach((resource, amount) -> b.dataPoint(point(labels(m, p.namespace(), p.name(),
                        p.uid(), c.name(), p.nodeName(), sanitise(resource), unit(resource)), amount)));
            }
        }
        return b.build();
    }

    private static String unit(String resource) {
        if (resource.equals("cpu")) {
            return "core";
        }
        return resource.equals("memory") || resource.contains("storage") || resource.startsWith("hugepages-")
                ? "byte" : "integer";
    }

    /** Extended resources such as {@code nvidia.com/gpu} become {@code nvidia_com_gpu}, as kube-state-metrics writes them. */
    private static String sanitise(String resource) {
        return NOT_LABEL_CHAR.matcher(resource).replaceAll("_");
    }

    private GaugeSnapshot ready(List<PodState> pods) {
        MetricName m = KubeMetrics.CONTAINER_READY;
        GaugeSnapshot.Builder b = gauge(m);
        for (PodState p : pods) {
            for (ContainerState c : p.containers()) {
                b.dataPoint(point(labels(m, p.namespace(), p.name(), p.uid(), c.name()), c.ready() ? 1 : 0));
            }
        }
        return b.build();
    }

    /** One point per condition status, 1 for the PodScheduled condition's, for pods that have that condition. */
    private GaugeSnapshot scheduled(List<PodState> pods) {
        MetricName m = KubeMetrics.POD_STATUS_SCHEDULED;
        GaugeSnapshot.Builder b = gauge(m);
        for (PodState p : pods) {
            if (p.scheduled().isEmpty()) {
                continue;
            }
            for (String condition : CONDITIONS) {
                b.dataPoint(point(labels(m, p.namespace(), p.name(), p.uid(), condition),
                        condition.equalsIgnoreCase(p.scheduled()) ? 1 : 0));
            }
        }
        return b.build();
    }

    /** 1 for a pod the scheduler could not place (PodScheduled False); no series for the others. */
    private GaugeSnapshot unschedulable(List<PodState> pods) {
        MetricName m = KubeMetrics.POD_STATUS_UNSCHEDULABLE;
        GaugeSnapshot.Builder b = gauge(m);
        for (PodState p : pods) {
            if (p.scheduled().equals("False")) {
                b.dataPoint(point(labels(m, p.namespace(), p.name(), p.uid()), 1));
            }
        }
        return b.build();
    }

    private GaugeSnapshot scheduledTime(List<PodState> pods) {
        MetricName m = KubeMetrics.POD_STATUS_SCHEDULED_TIME;
        GaugeSnapshot.Builder b = gauge(m);
        for (PodState p : pods) {
            if (p.scheduled().equals("True") && !Double.isNaN(p.scheduledAt())) {
                b.dataPoint(point(labels(m, p.namespace(), p.name(), p.uid()), p.scheduledAt()));
            }
        }
        return b.build();
    }

    private static GaugeSnapshot.Builder gauge(MetricName m) {
        return GaugeSnapshot.builder().name(KubeMetrics.snapshotName(m)).help(m.help());
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private Labels labels(MetricName m, String... values) {
        return memo.of(m, values);
    }
}

package io.vedetta.agent.cluster.election;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.agent.metrics.MetricName;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The leader election's own series. */
public final class ElectionMetrics {

    public static final MetricName LEADER = MetricName.gauge("vedetta_cluster_leader",
            "1 while this agent holds the cluster Lease and exposes the cluster's series and events, else 0.", "");
    public static final MetricName LEADER_CHANGES = MetricName.counter("vedetta_cluster_leader_changes_total",
            "Changes of the Lease's holder this agent has seen (its own acquisitions and losses included).", "");
    public static final MetricName LEADERSHIP_LOST = MetricName.counter("vedetta_cluster_leadership_lost_total",
            "Times this agent stopped leading, by reason: renew_deadline (no successful renewal within"
                    + " cluster.renewDeadline), lease_lost (the renewal was refused or another agent holds the Lease),"
                    + " stopped (shutdown; the Lease is released).", "", "reason");
    public static final MetricName LEASE_ERRORS = MetricName.counter("vedetta_cluster_lease_errors_total",
            "Lease reads and writes that failed (API unreachable, conflicts with another agent's write, RBAC).", "");

    public static final List<MetricName> ALL = List.of(LEADER, LEADER_CHANGES, LEADERSHIP_LOST, LEASE_ERRORS);

    static final String RENEW_DEADLINE = "renew_deadline";
    static final String LEASE_LOST = "lease_lost";
    static final String STOPPED = "stopped";

    private final MeterRegistry registry;
    private final Counter changes;
    private final Counter leaseErrors;

    ElectionMetrics(MeterRegistry registry, BooleanSupplier leading) {
        this.registry = registry;
        Gauge.builder(LEADER.name(), () -> leading.getAsBoolean() ? 1 : 0).description(LEADER.help())
                .register(registry);
        this.changes = counter(LEADER_CHANGES).register(registry);
        this.leaseErrors = counter(LEASE_ERRORS).register(registry);
        List.of(RENEW_DEADLINE, LEASE_LOST, STOPPED).forEach(this::lost);
    }

    void leaderChanged() {
        changes.increment();
    }

    void leaseError() {
        leaseErrors.increment();
    }

    Counter lost(String reason) {
        return counter(LEADERSHIP_LOST).tag("reason", reason).register(registry);
    }

    /** Micrometer adds {@code _total} to a counter's name itself. */
    private static Counter.Builder counter(MetricName metric) {
        return Counter.builder(metric.name().substring(0, metric.name().length() - "_total".length()))
                .description(metric.help());
    }
}

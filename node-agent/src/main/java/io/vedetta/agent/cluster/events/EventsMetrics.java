package io.vedetta.agent.cluster.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.agent.metrics.MetricName;
import java.util.List;
import java.util.function.Supplier;

/** The events source's own series. */
public final class EventsMetrics {

    public static final MetricName RECEIVED = MetricName.counter("vedetta_cluster_events_received_total",
            "Event updates the leader read from the API server (list and watch), each handed to the log sink, by the"
                    + " event's type (Normal, Warning, other).", "", "type");
    public static final MetricName ACKNOWLEDGED = MetricName.counter("vedetta_cluster_events_acknowledged_total",
            "Event updates the log sink acknowledged (stored, or already stored under the same id).", "");
    public static final MetricName PENDING = MetricName.gauge("vedetta_cluster_events_pending",
            "Event updates handed to the log sink and not acknowledged yet.", "");
    public static final MetricName RELISTS = MetricName.counter("vedetta_cluster_events_relists_total",
            "Full lists of the events, by reason: start (no checkpoint to resume from), gone (the checkpoint is older"
                    + " than the API server keeps, 410, or a watch from it failed five times in a row).", "", "reason");
    public static final MetricName CHECKPOINT_ERRORS = MetricName.counter(
            "vedetta_cluster_events_checkpoint_errors_total",
            "Failed reads and writes of <stateDir>/events-checkpoint.json; each is logged.", "");

    public static final List<MetricName> ALL = List.of(RECEIVED, ACKNOWLEDGED, PENDING, RELISTS, CHECKPOINT_ERRORS);

    static final String START = "start";
    static final String GONE = "gone";

    private final Counter normal;
    private final Counter warning;
    private final Counter otherType;
    final Counter acknowledged;
    final Counter checkpointErrors;
    private final MeterRegistry registry;

    EventsMetrics(MeterRegistry registry, Supplier<Number> pending) {
        this.registry = registry;
        this.normal = counter(RECEIVED).tag("type", "Normal").register(registry);
        this.warning = counter(RECEIVED).tag("type", "Warning").register(registry);
        this.otherType = counter(RECEIVED).tag("type", "other").register(registry);
        this.acknowledged = counter(ACKNOWLEDGED).register(registry);
        this.checkpointErrors = counter(CHECKPOINT_ERRORS).register(registry);
        Gauge.builder(PENDING.name(), pending).description(PENDING.help()).register(registry);
        relist(START);
        relist(GONE);
    }

    /** An event update of {@code type} read; the label keeps the two types Kubernetes has, others are "other". */
    void received(String type) {
        ("Warning".equals(type) ? warning : "Normal".equals(type) ? normal : otherType).increment();
    }

    Counter relist(String reason) {
        return counter(RELISTS).tag("reason", reason).register(registry);
    }

    private static Counter.Builder counter(MetricName metric) {
        return Counter.builder(metric.name().substring(0, metric.name().length() - "_total".length()))
                .description(metric.help());
    }
}

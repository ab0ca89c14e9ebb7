package io.vedetta.agent.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The one Prometheus registry that {@code /metrics} serves, and the Micrometer registry writing into it.
 * Self-metrics ({@code vedetta_*}, JVM, process) go through Micrometer; collectors that build whole
 * snapshots at scrape time (kube_*, node_*, container_*) register as Prometheus {@code MultiCollector}s.
 * Passed to each part; never static, so tests get a fresh one.
 */
public final class Registries {

    private final PrometheusRegistry prometheus;
    private final PrometheusMeterRegistry micrometer;

    public Registries() {
        this.prometheus = new PrometheusRegistry();
        this.micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus,
                io.micrometer.core.instrument.Clock.SYSTEM);
    }

    public PrometheusRegistry prometheus() {
        return prometheus;
    }

    public MeterRegistry micrometer() {
        return micrometer;
    }
}

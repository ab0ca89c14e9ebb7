package io.vedetta.agent.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one Prometheus registry that {@code /metrics} serves, and the Micrometer registry writing into it.
 * Self-metrics ({@code vedetta_*}, JVM, process) go through Micrometer; collectors that build whole
 * snapshots at scrape time register as Prometheus {@code MultiCollector}s (kube_*), or are metric sources
 * served beside the collectors (node_*, container_*, the kubelet's; {@link ServedRegistry}).
 * Passed to each part; never static, so tests get a fresh one.
 */
public final class Registries {

    private final ServedRegistry prometheus;
    private final PrometheusMeterRegistry micrometer;

    public Registries() {
        this.prometheus = new ServedRegistry();
        this.micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus,
                io.micrometer.core.instrument.Clock.SYSTEM);
    }

    public ServedRegistry prometheus() {
        return prometheus;
    }

    public MeterRegistry micrometer() {
        return micrometer;
    }
}

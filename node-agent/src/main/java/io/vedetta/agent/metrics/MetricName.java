package io.vedetta.agent.metrics;

import java.util.List;

/**
 * One entry of the metric catalogue: the exposed name (as users query it, e.g. {@code node_load1}),
 * its type, help text, unit and label names. Collectors build their snapshots from these constants,
 * and the README catalogue, dashboards and alert-rule checks read the same constants.
 */
public record MetricName(String name, Type type, String help, String unit, List<String> labels) {

    public enum Type { COUNTER, GAUGE, INFO, SUMMARY, HISTOGRAM, UNTYPED }

    public MetricName {
        labels = List.copyOf(labels);
    }

    public static MetricName counter(String name, String help, String unit, String... labels) {
        return new MetricName(name, Type.COUNTER, help, unit, List.of(labels));
    }

    public static MetricName gauge(String name, String help, String unit, String... labels) {
        return new MetricName(name, Type.GAUGE, help, unit, List.of(labels));
    }

    /** A series the exporter it imitates leaves untyped, such as node_exporter's {@code node_vmstat_*}. */
    public static MetricName untyped(String name, String help, String unit, String... labels) {
        return new MetricName(name, Type.UNTYPED, help, unit, List.of(labels));
    }
}

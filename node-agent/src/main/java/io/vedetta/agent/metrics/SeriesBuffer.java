package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data points of one collection, keyed by catalogue entry, turned into immutable client_java snapshots at
 * the end. Sources that build whole snapshots at scrape time add points here by {@link MetricName} so that
 * names, help and label names always come from the catalogue. Not thread-safe: one buffer per collection.
 */
public final class SeriesBuffer {

    private record Point(Labels labels, double value) {
    }

    private final Map<MetricName, List<Point>> points = new LinkedHashMap<>();

    /** Adds one point; {@code labelValues} are in the order of {@link MetricName#labels()}. */
    public void add(MetricName metric, double value, String... labelValues) {
        if (labelValues.length != metric.labels().size()) {
            throw new IllegalArgumentException(metric.name() + " takes labels " + metric.labels() + ", got "
                    + labelValues.length + " values");
        }
        Labels labels = Labels.of(metric.labels().toArray(String[]::new), labelValues);
        points.computeIfAbsent(metric, m -> new ArrayList<>()).add(new Point(labels, value));
    }

    /** Moves every point of {@code other} into this buffer. */
    public void addAll(SeriesBuffer other) {
        other.points.forEach((metric, list) -> points.computeIfAbsent(metric, m -> new ArrayList<>()).addAll(list));
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** One snapshot per catalogue entry that has points; entries without points are left out, as exporters do. */
    public MetricSnapshots build() {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        points.forEach((metric, list) -> out.metricSnapshot(snapshot(metric, list)));
        return out.build();
    }

    private static MetricSnapshot snapshot(MetricName metric, List<Point> list) {
        return switch (metric.type()) {
            case COUNTER -> {
                CounterSnapshot.Builder b = CounterSnapshot.builder()
                        .name(familyName(metric)).help(metric.help());
                list.forEach(p -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(p.labels()).value(p.value()).build()));
                yield b.build();
            }
            case GAUGE -> {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(metric.name()).help(metric.help());
                list.forEach(p -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(p.labels()).value(p.value()).build()));
                yield b.build();
            }
            case UNTYPED -> {
                UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(metric.name()).help(metric.help());
                list.forEach(p -> b.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder()
                        .labels(p.labels()).value(p.value()).build()));
                yield b.build();
            }
            case INFO -> {
                InfoSnapshot.Builder b = InfoSnapshot.builder().name(familyName(metric)).help(metric.help());
                list.forEach(p -> b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(p.labels()).build()));
                yield b.build();
            }
            default -> throw new IllegalArgumentException(metric.name() + ": " + metric.type()
                    + " series are not built from single values");
        };
    }

    /** client_java names counters and info metrics without the suffix that the exposition adds back. */
    static String familyName(MetricName metric) {
        String suffix = switch (metric.type()) {
            case COUNTER -> "_total";
            case INFO -> "_info";
            default -> "";
        };
        String name = metric.name();
        return !suffix.isEmpty() && name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }
}

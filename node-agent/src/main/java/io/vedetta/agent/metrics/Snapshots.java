package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Rebuilding client_java snapshots, which are immutable: new labels on each data point, and families of the
 * same name from several sources merged into one (the text format allows one TYPE line per name).
 */
public final class Snapshots {

    private Snapshots() {
    }

    /** What a rebuild produced: the family (null when no data point is left) and series dropped as duplicates. */
    public record Rebuilt(MetricSnapshot family, int duplicates) {
    }

    /** The family name as it appears in the exposition: counters end in {@code _total}. */
    public static String exposedName(MetricSnapshot family) {
        String name = family.getMetadata().getPrometheusName();
        if (family instanceof CounterSnapshot && !name.endsWith("_total")) {
            return name + "_total";
        }
        if (family instanceof InfoSnapshot && !name.endsWith("_info")) {
            return name + "_info";
        }
        return name;
    }

    /**
     * Applies {@code relabel} to every data point: it returns the new labels, or null to drop the point.
     * When two points end up with the same labels the first is kept and the other counted as a duplicate; a
     * {@code relabel} that never makes two label sets equal (it only drops points, or adds labels) passes
     * {@code mayMerge} false, which saves hashing every label set.
     */
    public static Rebuilt relabel(MetricSnapshot family, UnaryOperator<Labels> relabel, boolean mayMerge) {
        List<DataPointSnapshot> points = new ArrayList<>(family.getDataPoints().size());
        Set<Labels> seen = mayMerge ? new HashSet<>() : null;
        int duplicates = 0;
        boolean changed = false;
        for (DataPointSnapshot point : family.getDataPoints()) {
            Labels labels = relabel.apply(point.getLabels());
            if (labels == null) {
                changed = true;
                continue;
            }
            if (seen != null && !seen.add(labels)) {
                duplicates++;
                changed = true;
                continue;
            }
            if (labels == point.getLabels() || labels.equals(point.getLabels())) {
                points.add(point);
            } else {
                points.add(withLabels(point, labels));
                changed = true;
            }
        }
        if (points.isEmpty()) {
            return new Rebuilt(null, duplicates);
        }
        return new Rebuilt(changed ? rebuild(family, points) : family, duplicates);
    }

    /**
     * Merges two families of the same name and type. Returns null when the types differ, since a name can have
     * only one type in the exposition.
     */
    public static Rebuilt merge(MetricSnapshot first, MetricSnapshot second) {
        if (first.getClass() != second.getClass()) {
            return null;
        }
        List<DataPointSnapshot> points = new ArrayList<>(first.getDataPoints());
        Set<Labels> seen = new HashSet<>();
        first.getDataPoints().forEach(p -> seen.add(p.getLabels()));
        int duplicates = 0;
        for (DataPointSnapshot point : second.getDataPoints()) {
            if (seen.add(point.getLabels())) {
                points.add(point);
            } else {
                duplicates++;
            }
        }
        return new Rebuilt(rebuild(first, points), duplicates);
    }

    /** {@code summary} with its quantiles left out and its count and sum kept. */
    public static SummarySnapshot withoutQuantiles(SummarySnapshot summary) {
        List<SummaryDataPointSnapshot> points = new ArrayList<>(summary.getDataPoints().size());
        for (SummaryDataPointSnapshot p : summary.getDataPoints()) {
            points.add(new SummaryDataPointSnapshot(p.hasCount() ? p.getCount() : -1,
                    p.hasSum() ? p.getSum() : Double.NaN, Quantiles.EMPTY, p.getLabels(), p.getExemplars(),
                    p.hasCreatedTimestamp() ? p.getCreatedTimestampMillis() : 0L,
                    p.hasScrapeTimestamp() ? p.getScrapeTimestampMillis() : 0L));
        }
        return new SummarySnapshot(summary.getMetadata(), points);
    }

    @SuppressWarnings("unchecked")
    private static MetricSnapshot rebuild(MetricSnapshot family, List<? extends DataPointSnapshot> points) {
        var metadata = family.getMetadata();
        if (family instanceof CounterSnapshot) {
            return new CounterSnapshot(metadata, (List<CounterDataPointSnapshot>) points);
        }
        if (family instanceof GaugeSnapshot) {
            return new GaugeSnapshot(metadata, (List<GaugeDataPointSnapshot>) points);
        }
        if (family instanceof HistogramSnapshot h) {
            return new HistogramSnapshot(h.isGaugeHistogram(), metadata, (List<HistogramDataPointSnapshot>) points);
        }
        if (family instanceof SummarySnapshot) {
            return new SummarySnapshot(metadata, (List<SummaryDataPointSnapshot>) points);
        }
        if (family instanceof InfoSnapshot) {
            return new InfoSnapshot(metadata, (List<InfoDataPointSnapshot>) points);
        }
        if (family instanceof StateSetSnapshot) {
            return new StateSetSnapshot(metadata, (List<StateSetDataPointSnapshot>) points);
        }
        return new UnknownSnapshot(metadata, (List<UnknownDataPointSnapshot>) points);
    }

    private static DataPointSnapshot withLabels(DataPointSnapshot p, Labels labels) {
        long created = p.hasCreatedTimestamp() ? p.getCreatedTimestampMillis() : 0L;
        long scraped = p.hasScrapeTimestamp() ? p.getScrapeTimestampMillis() : 0L;
        if (p instanceof CounterDataPointSnapshot c) {
            return new CounterDataPointSnapshot(c.getValue(), labels, c.getExemplar(), created, scraped);
        }
        if (p instanceof GaugeDataPointSnapshot g) {
            return new GaugeDataPointSnapshot(g.getValue(), labels, g.getExemplar(), scraped);
        }
        if (p instanceof UnknownDataPointSnapshot u) {
            return new UnknownDataPointSnapshot(u.getValue(), labels, u.getExemplar(), scraped);
        }
        if (p instanceof HistogramDataPointSnapshot h) {
            return new HistogramDataPointSnapshot(h.getClassicBuckets(), h.getNativeSchema(), h.getNativeZeroCount(),
                    h.getNativeZeroThreshold(), h.getNativeBucketsForPositiveValues(),
                    h.getNativeBucketsForNegativeValues(), h.getSum(), labels, h.getExemplars(), created, scraped);
        }
        if (p instanceof SummaryDataPointSnapshot s) {
            return new SummaryDataPointSnapshot(s.getCount(), s.getSum(), s.getQuantiles(), labels, s.getExemplars(),
                    created, scraped);
        }
        if (p instanceof InfoDataPointSnapshot) {
            return new InfoDataPointSnapshot(labels, scraped);
        }
        StateSetDataPointSnapshot s = (StateSetDataPointSnapshot) p;
        String[] names = new String[s.size()];
        boolean[] values = new boolean[s.size()];
        for (int i = 0; i < s.size(); i++) {
            names[i] = s.getName(i);
            values[i] = s.isTrue(i);
        }
        return new StateSetDataPointSnapshot(names, values, labels, scraped);
    }
}

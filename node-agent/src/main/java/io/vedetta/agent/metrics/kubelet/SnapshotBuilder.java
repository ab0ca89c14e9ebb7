package io.vedetta.agent.metrics.kubelet;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import io.vedetta.agent.metrics.EncodedLabels;
import io.vedetta.agent.metrics.PassThroughFamily;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.agent.metrics.Snapshots;
import io.vedetta.agent.metrics.kubelet.ParsedFamily.LabelSet;
import io.vedetta.agent.metrics.kubelet.ParsedFamily.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Turns the families of one parse into what {@code /metrics} serves: counters, gauges and untyped families whose
 * labels the filters keep as they are are passed through as encoded series ({@link PassThroughFamily}, written by
 * Vedetta, byte for byte as client_java would write their snapshots), the rest become client_java snapshots, which
 * client_java 1.7.0 can write but not read. Names are kept exactly: a counter whose name lacks {@code _total}
 * becomes untyped, because client_java would append the suffix and rename it. A family that client_java refuses, a
 * histogram whose buckets decrease and a repeated series are left out and counted in the parse's {@link Skips}.
 *
 * <p>Given a source's {@link SeriesFilter.ForSource}, the builder applies the cardinality filters as it builds: with
 * the default filters (series dropped, labels unchanged), a series is left out by its label set's kept result, where
 * filtering the built snapshots rebuilt every {@code container_*} family of a full node.
 */
final class SnapshotBuilder {

    private final SeriesFilter.ForSource filter;
    private final Skips skips;
    private final boolean keepTimestamps;
    /**
     * The samples {@link #distinct} keeps of the family built last, in the order of their snapshot: each its label
     * set's rank in the high half and its index in the family in the low, so that sorting them sorts by rank.
     */
    private long[] order = new long[0];

    /** {@code filter} may be null (nothing filtered); {@code keepTimestamps} as the parser's. */
    SnapshotBuilder(SeriesFilter.ForSource filter, Skips skips, boolean keepTimestamps) {
        this.filter = filter;
        this.skips = skips;
        this.keepTimestamps = keepTimestamps;
    }

    /** What a parse serves: families through client_java's model, and families passed through as encoded series. */
    record Families(List<MetricSnapshot> snapshots, List<PassThroughFamily> passThrough) {
    }

    /**
     * A family as built, either a snapshot or passed through, and whether the filter already dropped series of it
     * while it was built.
     */
    private record Built(MetricSnapshot snapshot, PassThroughFamily passThrough, boolean filtered) {

        String name() {
            return snapshot != null ? snapshot.getMetadata().getPrometheusName() : passThrough.familyName();
        }

        boolean isCounter() {
            return snapshot != null ? snapshot instanceof CounterSnapshot
                    : passThrough.kind() == PassThroughFamily.Kind.COUNTER;
        }

        boolean isEmpty() {
            return snapshot != null ? snapshot.getDataPoints().isEmpty() : passThrough.size() == 0;
        }

        /** The counter under its own name as untyped (see {@link SnapshotBuilder#untyped}). */
        Built untyped() {
            return snapshot != null ? new Built(SnapshotBuilder.untyped((CounterSnapshot) snapshot), null, filtered)
                    : new Built(null, passThrough.asUntyped(), filtered);
        }
    }

    /**
     * The families, filtered. Which counters clash with other families is decided on the families as served by
     * the kubelet, before the filter, as it was when the filter came after the parse.
     */
    Families build(Collection<ParsedFamily> families) {
        List<Built> built = new ArrayList<>();
        Set<String> otherNames = new HashSet<>();
        for (ParsedFamily family : families) {
            Built b = build(family);
            if (b != null && (b.filtered() || !b.isEmpty())) {
                built.add(b);
                if (!b.isCounter()) {
                    otherNames.add(b.name());
                }
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        List<PassThroughFamily> passThrough = new ArrayList<>();
        for (Built b : built) {
            if (b.isCounter() && otherNames.contains(b.name())) {
                b = b.untyped();
            }
            if (b.passThrough() != null) {
                PassThroughFamily f = b.passThrough();
                if (f.size() > 0 && (filter == null || filter.allowed(f.exposedName()))) {
                    passThrough.add(f);
                }
                continue;
            }
            MetricSnapshot snapshot = b.snapshot();
            if (filter != null) {
                snapshot = b.filtered() ? servedAsBuilt(snapshot) : filter.family(snapshot);
            }
            if (snapshot != null) {
                out.add(snapshot);
            }
        }
        return new Families(out, passThrough);
    }

    /** Whether {@link #distinct} leaves out the series the filter drops, so the family need not be rebuilt. */
    private boolean filtersWhileBuilding(ParsedFamily f) {
        return filter != null && filter.onlyDrops() && f.type != Type.HISTOGRAM && f.type != Type.SUMMARY;
    }

    /** A family built without the series the filter drops, if it is served at all. */
    private MetricSnapshot servedAsBuilt(MetricSnapshot snapshot) {
        return snapshot.getDataPoints().isEmpty() || !filter.allowed(Snapshots.exposedName(snapshot)) ? null
                : snapshot;
    }

    /**
     * client_java files counter {@code x_total} under {@code x} and refuses a gauge {@code x} beside it, as in
     * the Go runtime's {@code go_memstats_alloc_bytes} and {@code go_memstats_alloc_bytes_total}; such a counter
     * is kept under its own name as untyped.
     */
    private static UnknownSnapshot untyped(CounterSnapshot counter) {
        UnknownSnapshot.Builder b = UnknownSnapshot.builder()
                .name(counter.getMetadata().getPrometheusName() + "_total")
                .help(counter.getMetadata().getHelp());
        for (CounterDataPointSnapshot p : counter.getDataPoints()) {
            b.dataPoint(new UnknownDataPointSnapshot(p.getValue(), p.getLabels(), null,
                    p.hasScrapeTimestamp() ? p.getScrapeTimestampMillis() : 0));
        }
        return b.build();
    }

    private Built build(ParsedFamily f) {
        if (f.size() == 0) {
            return null;
        }
        boolean filtered = filtersWhileBuilding(f);
        try {
            if (passesThrough(f)) {
                return new Built(null, passThrough(f), filtered);
            }
            MetricSnapshot snapshot = switch (f.type) {
                case COUNTER -> f.name.endsWith("_total") ? counter(f) : unknown(f);
                case GAUGE -> gauge(f);
                case HISTOGRAM -> histogram(f);
                case SUMMARY -> summary(f);
                case UNTYPED -> unknown(f);
            };
            return new Built(snapshot, null, filtered);
        } catch (IllegalArgumentException e) {
            skips.add(f.size() + " samples of " + f.name + ": " + e.getMessage(), f.size());
            return null;
        }
    }

    /**
     * Whether the family is passed through as encoded series: a family of one value per series whose labels the
     * filter (if any) keeps as they are, without timestamps to keep.
     */
    private boolean passesThrough(ParsedFamily f) {
        return !keepTimestamps && f.type != Type.HISTOGRAM && f.type != Type.SUMMARY
                && (filter == null || filter.onlyDrops());
    }

    private PassThroughFamily passThrough(ParsedFamily f) {
        int count = distinct(f);
        EncodedLabels[] series = new EncodedLabels[count];
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            int sample = (int) order[i];
            series[i] = f.set(sample).encoded();
            values[i] = f.value(sample);
        }
        PassThroughFamily.Kind kind = switch (f.type) {
            case COUNTER -> f.name.endsWith("_total") ? PassThroughFamily.Kind.COUNTER : PassThroughFamily.Kind.UNKNOWN;
            case GAUGE -> PassThroughFamily.Kind.GAUGE;
            default -> PassThroughFamily.Kind.UNKNOWN;
        };
        return new PassThroughFamily(kind, f.name, f.help, series, values);
    }

    private MetricSnapshot counter(ParsedFamily f) {
        CounterSnapshot.Builder b = CounterSnapshot.builder();
        return simple(f, b, i -> b.dataPoint(new CounterDataPointSnapshot(f.value(i), f.set(i).labels, null, 0,
                f.timestampMillis(i))));
    }

    private MetricSnapshot gauge(ParsedFamily f) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder();
        return simple(f, b, i -> b.dataPoint(new GaugeDataPointSnapshot(f.value(i), f.set(i).labels, null,
                f.timestampMillis(i))));
    }

    private MetricSnapshot unknown(ParsedFamily f) {
        UnknownSnapshot.Builder b = UnknownSnapshot.builder();
        return simple(f, b, i -> b.dataPoint(new UnknownDataPointSnapshot(f.value(i), f.set(i).labels, null,
                f.timestampMillis(i))));
    }

    /** A family of one value per series: {@code point} adds the data point of a sample (by index) to {@code b}. */
    private MetricSnapshot simple(ParsedFamily f, MetricSnapshot.Builder<?> b, IntConsumer point) {
        b.name(f.name).help(f.help);
        int count = distinct(f);
        for (int i = 0; i < count; i++) {
            point.accept((int) order[i]);
        }
        return b.build();
    }

    /**
     * Samples of a family that is not a histogram or summary, keeping the first of repeated label sets, into {@link
     * #order} in the order in which its snapshot will hold them; returns how many.
     */
    private int distinct(ParsedFamily f) {
        if (order.length < f.size()) {
            order = new long[f.size()];
        }
        int count = 0;
        boolean filtering = filtersWhileBuilding(f);
        for (int i = 0; i < f.size(); i++) {
            LabelSet set = f.set(i);
            if (set.lastFamily == f.id) {
                skips.add("repeated series " + f.name + set.labels);
            } else {
                set.lastFamily = f.id;
                if (!filtering || filter.series(f.name, set.labels) != null) {
                    order[count++] = (long) set.rank << 32 | i;
                }
            }
        }
        Arrays.sort(order, 0, count);
        return count;
    }

    /** The parts of one histogram or summary data point, gathered from its samples. */
    private static final class Point {
        final TreeMap<Double, Double> bounds = new TreeMap<>();
        double sum = Double.NaN;
        double count = Double.NaN;
        long timestampMillis;
    }

    private Map<Labels, Point> points(ParsedFamily f, String boundLabel) {
        Map<Labels, Point> points = new LinkedHashMap<>();
        String boundName = f.type == Type.HISTOGRAM ? f.name + "_bucket" : f.name;
        String sumName = f.name + "_sum";
        String countName = f.name + "_count";
        for (int i = 0; i < f.size(); i++) {
            LabelSet set = f.set(i);
            String name = f.sampleName(i);
            Labels labels = set.labels;
            boolean isBound = name.equals(boundName);
            Labels key = isBound ? set.without(boundLabel) : labels;
            Point p = points.computeIfAbsent(key, k -> new Point());
            if (f.timestampMillis(i) != 0) {
                p.timestampMillis = f.timestampMillis(i);
            }
            if (isBound) {
                double bound = set.bound(boundLabel);
                if (Double.isNaN(bound) && labels.get(boundLabel) == null) {
                    skips.add(name + labels + " has no " + boundLabel + " label");
                } else {
                    p.bounds.put(bound, f.value(i));
                }
            } else if (name.equals(sumName)) {
                p.sum = f.value(i);
            } else if (name.equals(countName)) {
                p.count = f.value(i);
            } else {
                skips.add("sample " + name + " does not belong to " + f.type.name().toLowerCase() + " " + f.name);
            }
        }
        return points;
    }

    private HistogramSnapshot histogram(ParsedFamily f) {
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(f.name).help(f.help);
        for (Map.Entry<Labels, Point> e : points(f, "le").entrySet()) {
            Point p = e.getValue();
            if (!p.bounds.containsKey(Double.POSITIVE_INFINITY) && !Double.isNaN(p.count)) {
                p.bounds.put(Double.POSITIVE_INFINITY, p.count);
            }
            if (!p.bounds.containsKey(Double.POSITIVE_INFINITY)) {
                skips.add("histogram " + f.name + e.getKey() + " has neither a +Inf bucket nor a count");
                continue;
            }
            double[] upper = new double[p.bounds.size()];
            long[] counts = new long[p.bounds.size()];
            double previous = 0;
            int i = 0;
            boolean cumulative = true;
            for (Map.Entry<Double, Double> bucket : p.bounds.entrySet()) {
                upper[i] = bucket.getKey();
                counts[i] = Math.round(bucket.getValue() - previous);
                cumulative &= counts[i] >= 0;
                previous = bucket.getValue();
                i++;
            }
            if (!cumulative) {
                skips.add("histogram " + f.name + e.getKey() + " has bucket counts that decrease");
                continue;
            }
            var point = HistogramDataPointSnapshot.builder().labels(e.getKey())
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts));
            if (!Double.isNaN(p.sum)) {
                point.sum(p.sum);
            }
            if (p.timestampMillis != 0) {
                point.scrapeTimestampMillis(p.timestampMillis);
            }
            b.dataPoint(point.build());
        }
        return b.build();
    }

    private SummarySnapshot summary(ParsedFamily f) {
        SummarySnapshot.Builder b = SummarySnapshot.builder().name(f.name).help(f.help);
        for (Map.Entry<Labels, Point> e : points(f, "quantile").entrySet()) {
            Point p = e.getValue();
            List<Quantile> quantiles = new ArrayList<>();
            p.bounds.forEach((q, v) -> quantiles.add(new Quantile(q, v)));
            var point = SummaryDataPointSnapshot.builder().labels(e.getKey()).quantiles(Quantiles.of(quantiles));
            if (!Double.isNaN(p.sum)) {
                point.sum(p.sum);
            }
            if (!Double.isNaN(p.count)) {
                point.count(Math.round(p.count));
            }
            if (p.timestampMillis != 0) {
                point.scrapeTimestampMillis(p.timestampMillis);
            }
            b.dataPoint(point.build());
        }
        return b.build();
    }
}

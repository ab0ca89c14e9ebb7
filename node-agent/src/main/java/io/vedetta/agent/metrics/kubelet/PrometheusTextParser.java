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
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.agent.metrics.Snapshots;
import io.vedetta.bytes.Words;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Reads the Prometheus text exposition format (version 0.0.4, what the kubelet serves) into client_java
 * snapshots, which client_java 1.7.0 can write but not read. A line that cannot be read is skipped and
 * counted, never fatal; a body that ends inside a line was cut short and fails the read ({@link EOFException}),
 * as any failure of the stream does. Names are kept exactly: a counter whose name lacks {@code _total} becomes untyped,
 * because client_java would append the suffix and rename it. Sample timestamps are kept on request.
 *
 * <p>A full node's cAdvisor response has tens of thousands of series whose label sets repeat from family to
 * family (each container's labels appear in every {@code container_*} family) and from scrape to scrape. One
 * parser serves one endpoint and keeps, from one parse to the next, the relabelled {@link Labels} of every label
 * set by the bytes it is written as: the response is read as bytes while it arrives, and a series seen before
 * costs a hash, a comparison of bytes and its value. Label sets not seen in a parse are forgotten at its end,
 * but only at the end of a whole one: a read that fails (a body cut short) forgets nothing and adds only label
 * sets of complete lines, so the next read finds the caches as a whole response left them. One parse at a time.
 *
 * <p>Given a source's {@link SeriesFilter.ForSource}, the parser applies the cardinality filters as it builds the
 * snapshots: with the default filters (series dropped, labels unchanged), a series is left out by its label set's
 * kept result, where filtering the built snapshots rebuilt every {@code container_*} family of a full node.
 */
public final class PrometheusTextParser {

    /** The families read, and the lines skipped with the first problem found. */
    public record Result(MetricSnapshots snapshots, int skipped, String firstProblem) {
    }

    private enum Type { COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED }

    /**
     * A relabelled label set. Label sets written differently but equal once relabelled share one instance, so
     * a family holds a series twice exactly when two of its samples have the same instance.
     */
    private static final class LabelSet {
        final Labels labels;
        /** The last family ({@link Family#id}) that took a sample with this label set: repeats found without hashing. */
        long lastFamily;
        long seenIn;
        /** The place of {@link #labels} in the order of client_java's {@link Labels#compareTo}, among all held. */
        int rank;

        LabelSet(Labels labels) {
            this.labels = labels;
        }
    }

    private record Sample(String name, LabelSet set, double value, long timestampMillis) {
    }

    private static final class Family {
        final long id;
        final String name;
        Type type = Type.UNTYPED;
        String help;
        final List<Sample> samples = new ArrayList<>();

        Family(long id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private static final int BUFFER_BYTES = 1 << 16;
    private static final long QUOTES = Words.repeated('"');
    private static final long BACKSLASHES = Words.repeated('\\');
    private static final long CLOSING_BRACES = Words.repeated('}');
    private static final Comparator<Sample> BY_RANK = Comparator.comparingInt(s -> s.set.rank);

    private final UnaryOperator<Labels> relabel;
    private final boolean keepTimestamps;
    /** Relabelled label sets by their text as written, braces included. */
    private final BytesKeyedCache<LabelSet> labelSets = new BytesKeyedCache<>();
    /** The label set instance of each distinct relabelled label set in {@link #labelSets}. */
    private final Map<Labels, LabelSet> distinctLabelSets = new HashMap<>();
    private final BytesKeyedCache<String> names = new BytesKeyedCache<>();
    private byte[] buffer = new byte[BUFFER_BYTES];

    private long parses;
    private long familyIds;
    /** Whether label sets were added since they were last ranked. */
    private boolean unranked;
    private Map<String, Family> families;
    /** One instance of every label name and value read in this parse. */
    private Map<String, String> strings;
    private LabelSet noLabels;
    private SeriesFilter.ForSource filter;
    private int skipped;
    private String firstProblem;

    /**
     * A parser that passes every sample's labels through {@code relabel} (e.g. to rename old labels) and drops
     * sample timestamps unless {@code keepTimestamps}. {@code relabel} must depend on the labels alone: it is
     * called once per distinct label set and its result shared by the samples that have it, across parses.
     */
    public PrometheusTextParser(UnaryOperator<Labels> relabel, boolean keepTimestamps) {
        this.relabel = relabel;
        this.keepTimestamps = keepTimestamps;
    }

    /**
     * Reads one response, applying {@code filter} (when not null) as {@link SeriesFilter.ForSource#apply} would;
     * the series it dropped as duplicates are counted in its {@link SeriesFilter.ForSource#duplicates}.
     */
    public Result read(InputStream in, SeriesFilter.ForSource filter) throws IOException {
        this.filter = filter;
        if (filter != null) {
            filter.begin();
        }
        families = new LinkedHashMap<>();
        strings = new HashMap<>();
        skipped = 0;
        firstProblem = null;
        parses++;
        labelSets.beginParse();
        names.beginParse();
        noLabels = null;
        boolean whole = false;
        try {
            lines(in);
            if (unranked) {
                rank();
            }
            Result result = new Result(snapshots(), skipped, firstProblem);
            whole = true;
            return result;
        } finally {
            if (whole) {
                labelSets.endParse();
                names.endParse();
                distinctLabelSets.values().removeIf(set -> set.seenIn != parses);
            } else if (filter != null) {
                filter.abort();
            }
            families = null;
            strings = null;
            this.filter = null;
        }
    }

    /** Splits the body into lines in a buffer kept between parses, reading on while lines are parsed. */
    private void lines(InputStream in) throws IOException {
        int length = 0;
        int number = 0;
        boolean end = false;
        while (!end) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                end = true;
            } else {
                length += read;
            }
            int lineStart = 0;
            for (int i = Words.indexOf(buffer, 0, length, '\n'); i >= 0; i = Words.indexOf(buffer, lineStart, length, '\n')) {
                number++;
                line(number, lineStart, i);
                lineStart = i + 1;
            }
            if (end && lineStart < length) {
                throw cutShort(number + 1, lineStart, length);
            }
            System.arraycopy(buffer, lineStart, buffer, 0, length - lineStart);
            length -= lineStart;
        }
    }

    /**
     * The body ended inside line {@code number}: every line of the text format ends with a newline, so the rest
     * of the response was lost (a connection closed early, a proxy that gave up) and what came is not the scrape.
     */
    private EOFException cutShort(int number, int from, int to) {
        int shown = Math.min(to - from, 80);
        return new EOFException("the body ends inside line " + number + " (\""
                + new String(buffer, to - shown, shown, StandardCharsets.UTF_8).replace("\"", "\\\"")
                + "\" without a newline): the response was cut short");
    }

    private void line(int number, int from, int to) {
        try {
            line(buffer, from, to > from && buffer[to - 1] == '\r' ? to - 1 : to);
        } catch (IllegalArgumentException e) {
            skip("line " + number + ": " + e.getMessage());
        }
    }

    /** A family's snapshot, and whether the filter already dropped series of it while it was built. */
    private record Built(MetricSnapshot snapshot, boolean filtered) {
    }

    /**
     * The families read, filtered. Which counters clash with other families is decided on the families as
     * served by the kubelet, before the filter, as it was when the filter came after the parse.
     */
    private MetricSnapshots snapshots() {
        List<Built> built = new ArrayList<>();
        Set<String> otherNames = new HashSet<>();
        for (Family family : families.values()) {
            MetricSnapshot snapshot = build(family);
            boolean filtered = filtersWhileBuilding(family);
            if (snapshot != null && (filtered || !snapshot.getDataPoints().isEmpty())) {
                built.add(new Built(snapshot, filtered));
                if (!(snapshot instanceof CounterSnapshot)) {
                    otherNames.add(snapshot.getMetadata().getPrometheusName());
                }
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        for (Built b : built) {
            MetricSnapshot snapshot = b.snapshot();
            if (snapshot instanceof CounterSnapshot c && otherNames.contains(c.getMetadata().getPrometheusName())) {
                snapshot = untyped(c);
            }
            if (filter != null) {
                snapshot = b.filtered() ? servedAsBuilt(snapshot) : filter.family(snapshot);
            }
            if (snapshot != null) {
                out.add(snapshot);
            }
        }
        return new MetricSnapshots(out);
    }

    /** Whether {@link #distinct} leaves out the series the filter drops, so the family need not be rebuilt. */
    private boolean filtersWhileBuilding(Family f) {
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
            var point = UnknownDataPointSnapshot.builder().labels(p.getLabels()).value(p.getValue());
            if (p.hasScrapeTimestamp()) {
                point.scrapeTimestampMillis(p.getScrapeTimestampMillis());
            }
            b.dataPoint(point.build());
        }
        return b.build();
    }

    private void skip(String problem) {
        skipped++;
        if (firstProblem == null) {
            firstProblem = problem;
        }
    }

    private void line(byte[] b, int from, int to) {
        int i = spaces(b, from, to);
        if (i == to) {
            return;
        }
        if (b[i] == '#') {
            comment(new Cursor(new String(b, i, to - i, StandardCharsets.UTF_8), strings));
            return;
        }
        int nameEnd = i;
        while (nameEnd < to && isNameChar(b[nameEnd], nameEnd == i, true)) {
            nameEnd++;
        }
        if (nameEnd == i) {
            throw new IllegalArgumentException("expected a metric name at column " + (i - from + 1));
        }
        String name = name(b, i, nameEnd);
        i = spaces(b, nameEnd, to);
        LabelSet set;
        if (i < to && b[i] == '{') {
            int end = labelSetEnd(b, i, to);
            set = labelSet(b, i, end);
            i = end;
        } else {
            set = noLabels();
        }
        i = spaces(b, i, to);
        int valueEnd = token(b, i, to);
        if (valueEnd == i) {
            throw new IllegalArgumentException("missing value");
        }
        double value = SampleValues.parse(b, i, valueEnd);
        i = spaces(b, valueEnd, to);
        long timestamp = 0;
        if (i < to) {
            int timestampEnd = token(b, i, to);
            String ts = new String(b, i, timestampEnd - i, StandardCharsets.UTF_8);
            try {
                timestamp = Long.parseLong(ts);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad timestamp \"" + ts + "\"");
            }
            if (timestamp < 0) {
                throw new IllegalArgumentException("timestamp before 1970: " + ts);
            }
            if (spaces(b, timestampEnd, to) != to) {
                throw new IllegalArgumentException("unexpected text after the timestamp");
            }
        }
        familyOf(name).samples.add(new Sample(name, set, value, keepTimestamps ? timestamp : 0));
    }

    /** The metric name in the bytes, one String instance per name across parses. */
    private String name(byte[] b, int from, int to) {
        int hash = Words.hash(b, from, to);
        String name = names.get(b, from, to, hash);
        if (name == null) {
            name = new String(b, from, to - from, StandardCharsets.US_ASCII);
            names.put(b, from, to, hash, name);
        }
        return name;
    }

    /**
     * The relabelled label set written from {@code from} to {@code to}, braces included: read, validated and
     * relabelled only when these bytes were not seen in this parse or the last.
     */
    private LabelSet labelSet(byte[] b, int from, int to) {
        int hash = Words.hash(b, from, to);
        LabelSet set = labelSets.get(b, from, to, hash);
        if (set == null) {
            Cursor c = new Cursor(new String(b, from, to - from, StandardCharsets.UTF_8), strings);
            set = distinct(relabel.apply(c.labels()));
            labelSets.put(b, from, to, hash, set);
        }
        set.seenIn = parses;
        return set;
    }

    private LabelSet noLabels() {
        if (noLabels == null) {
            noLabels = distinct(relabel.apply(Labels.EMPTY));
            noLabels.seenIn = parses;
        }
        return noLabels;
    }

    private LabelSet distinct(Labels labels) {
        return distinctLabelSets.computeIfAbsent(labels, l -> {
            unranked = true;
            return new LabelSet(l);
        });
    }

    /**
     * Ranks the label sets held in client_java's order of labels. Every client_java snapshot sorts its data
     * points by labels when it is made; handing them over in that order, sorted by rank, makes its sort one pass
     * over a full node's tens of thousands of points instead of comparing their labels over and over. Label sets
     * are ranked again only when new ones have come.
     */
    private void rank() {
        LabelSet[] sets = distinctLabelSets.values().toArray(LabelSet[]::new);
        Arrays.sort(sets, (a, b) -> a.labels.compareTo(b.labels));
        for (int i = 0; i < sets.length; i++) {
            sets[i].rank = i;
        }
        unranked = false;
    }

    /**
     * Where the label set that starts at {@code from} ends (after its closing brace), quoted braces skipped; the
     * end of the line when it is unterminated, which reading it then reports.
     */
    private static int labelSetEnd(byte[] b, int from, int to) {
        boolean quoted = false;
        int i = from + 1;
        while (i < to) {
            for (; i + Long.BYTES <= to; i += Long.BYTES) {
                long word = Words.word(b, i);
                long found = Words.zeroBytes(word ^ QUOTES)
                        | Words.zeroBytes(word ^ (quoted ? BACKSLASHES : CLOSING_BRACES));
                if (found != 0) {
                    i += Words.firstFlagged(found);
                    break;
                }
            }
            if (i >= to) {
                break;
            }
            byte ch = b[i];
            if (quoted && ch == '\\') {
                i += 2;
            } else if (ch == '"') {
                quoted = !quoted;
                i++;
            } else if (!quoted && ch == '}') {
                return i + 1;
            } else {
                i++;
            }
        }
        return to;
    }

    private static boolean isNameChar(byte ch, boolean first, boolean colonAllowed) {
        return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || colonAllowed && ch == ':'
                || !first && ch >= '0' && ch <= '9';
    }

    private static int spaces(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int token(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] != ' ' && b[i] != '\t') {
            i++;
        }
        return i;
    }

    private void comment(Cursor c) {
        c.next();
        c.spaces();
        String keyword = c.atEnd() ? "" : c.token();
        if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
            return;
        }
        c.spaces();
        String name = c.metricName();
        Family family = families.computeIfAbsent(name, this::newFamily);
        if (keyword.equals("HELP")) {
            c.spacesOnce();
            family.help = unescapeHelp(c.rest());
            return;
        }
        c.spaces();
        String type = c.token();
        family.type = switch (type) {
            case "counter" -> Type.COUNTER;
            case "gauge" -> Type.GAUGE;
            case "histogram" -> Type.HISTOGRAM;
            case "summary" -> Type.SUMMARY;
            case "untyped" -> Type.UNTYPED;
            default -> throw new IllegalArgumentException("unknown type \"" + type + "\" for " + name);
        };
    }

    private Family familyOf(String sample) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (sample.endsWith(suffix)) {
                Family base = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (base != null && (base.type == Type.HISTOGRAM
                        || base.type == Type.SUMMARY && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return families.computeIfAbsent(sample, this::newFamily);
    }

    private Family newFamily(String name) {
        return new Family(++familyIds, name);
    }

    private MetricSnapshot build(Family f) {
        if (f.samples.isEmpty()) {
            return null;
        }
        try {
            return switch (f.type) {
                case COUNTER -> f.name.endsWith("_total") ? counter(f) : unknown(f);
                case GAUGE -> gauge(f);
                case HISTOGRAM -> histogram(f);
                case SUMMARY -> summary(f);
                case UNTYPED -> unknown(f);
            };
        } catch (IllegalArgumentException e) {
            skip(f.samples.size() + " samples of " + f.name + ": " + e.getMessage());
            skipped += f.samples.size() - 1;
            return null;
        }
    }

    private CounterSnapshot counter(Family f) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(f.name).help(f.help);
        for (Sample s : distinct(f)) {
            var point = CounterDataPointSnapshot.builder().labels(s.set.labels).value(s.value);
            if (s.timestampMillis != 0) {
                point.scrapeTimestampMillis(s.timestampMillis);
            }
            b.dataPoint(point.build());
        }
        return b.build();
    }

    private GaugeSnapshot gauge(Family f) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(f.name).help(f.help);
        for (Sample s : distinct(f)) {
            var point = GaugeDataPointSnapshot.builder().labels(s.set.labels).value(s.value);
            if (s.timestampMillis != 0) {
                point.scrapeTimestampMillis(s.timestampMillis);
            }
            b.dataPoint(point.build());
        }
        return b.build();
    }

    private UnknownSnapshot unknown(Family f) {
        UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(f.name).help(f.help);
        for (Sample s : distinct(f)) {
            var point = UnknownDataPointSnapshot.builder().labels(s.set.labels).value(s.value);
            if (s.timestampMillis != 0) {
                point.scrapeTimestampMillis(s.timestampMillis);
            }
            b.dataPoint(point.build());
        }
        return b.build();
    }

    /**
     * Samples of a family that is not a histogram or summary, keeping the first of repeated label sets, in the
     * order in which its snapshot will hold them.
     */
    private List<Sample> distinct(Family f) {
        List<Sample> once = new ArrayList<>(f.samples.size());
        boolean filtering = filtersWhileBuilding(f);
        for (Sample s : f.samples) {
            if (s.set.lastFamily == f.id) {
                skip("repeated series " + f.name + s.set.labels);
            } else {
                s.set.lastFamily = f.id;
                if (!filtering || filter.series(f.name, s.set.labels) != null) {
                    once.add(s);
                }
            }
        }
        once.sort(BY_RANK);
        return once;
    }

    /** The parts of one histogram or summary data point, gathered from its samples. */
    private static final class Point {
        final TreeMap<Double, Double> bounds = new TreeMap<>();
        double sum = Double.NaN;
        double count = Double.NaN;
        long timestampMillis;
    }

    private Map<Labels, Point> points(Family f, String boundLabel) {
        Map<Labels, Point> points = new LinkedHashMap<>();
        for (Sample s : f.samples) {
            String bound = s.set.labels.get(boundLabel);
            boolean isBound = s.name.equals(f.type == Type.HISTOGRAM ? f.name + "_bucket" : f.name);
            Labels key = isBound ? without(s.set.labels, boundLabel) : s.set.labels;
            Point p = points.computeIfAbsent(key, k -> new Point());
            if (s.timestampMillis != 0) {
                p.timestampMillis = s.timestampMillis;
            }
            if (isBound) {
                if (bound == null) {
                    skip(s.name + s.set.labels + " has no " + boundLabel + " label");
                } else {
                    p.bounds.put(SampleValues.parse(bound), s.value);
                }
            } else if (s.name.equals(f.name + "_sum")) {
                p.sum = s.value;
            } else if (s.name.equals(f.name + "_count")) {
                p.count = s.value;
            } else {
                skip("sample " + s.name + " does not belong to " + f.type.name().toLowerCase() + " " + f.name);
            }
        }
        return points;
    }

    private HistogramSnapshot histogram(Family f) {
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(f.name).help(f.help);
        for (Map.Entry<Labels, Point> e : points(f, "le").entrySet()) {
            Point p = e.getValue();
            if (!p.bounds.containsKey(Double.POSITIVE_INFINITY) && !Double.isNaN(p.count)) {
                p.bounds.put(Double.POSITIVE_INFINITY, p.count);
            }
            if (!p.bounds.containsKey(Double.POSITIVE_INFINITY)) {
                skip("histogram " + f.name + e.getKey() + " has neither a +Inf bucket nor a count");
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
                skip("histogram " + f.name + e.getKey() + " has bucket counts that decrease");
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

    private SummarySnapshot summary(Family f) {
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

    private static Labels without(Labels labels, String name) {
        Labels.Builder b = Labels.builder();
        labels.forEach(l -> {
            if (!l.getName().equals(name)) {
                b.label(l.getName(), l.getValue());
            }
        });
        return b.build();
    }

    /** HELP text escapes only backslash and newline; any other backslash is kept as written. */
    private static String unescapeHelp(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
            if (ch == '\\' && (next == 'n' || next == '\\')) {
                out.append(next == 'n' ? '\n' : '\\');
                i++;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** Position in a comment line, or in a label set read for the first time. */
    private static final class Cursor {
        private final String s;
        private final Map<String, String> strings;
        private int i;

        Cursor(String text, Map<String, String> strings) {
            this.s = text;
            this.strings = strings;
        }

        private String shared(String value) {
            String known = strings.putIfAbsent(value, value);
            return known == null ? value : known;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        char peek() {
            return s.charAt(i);
        }

        void next() {
            i++;
        }

        void spaces() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        void spacesOnce() {
            if (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        String rest() {
            String rest = s.substring(Math.min(i, s.length()));
            i = s.length();
            return rest;
        }

        String token() {
            int start = i;
            while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("missing value");
            }
            return s.substring(start, i);
        }

        String metricName() {
            int start = i;
            while (i < s.length() && isNameChar(s.charAt(i), i == start, true)) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("expected a metric name at column " + (i + 1));
            }
            return s.substring(start, i);
        }

        Labels labels() {
            i++;
            Labels.Builder b = Labels.builder();
            while (true) {
                spaces();
                if (atEnd()) {
                    throw new IllegalArgumentException("unterminated label set");
                }
                if (peek() == '}') {
                    i++;
                    return b.build();
                }
                int start = i;
                while (i < s.length() && isNameChar(s.charAt(i), i == start, false)) {
                    i++;
                }
                if (start == i) {
                    throw new IllegalArgumentException("expected a label name at column " + (i + 1));
                }
                String name = shared(s.substring(start, i));
                spaces();
                expect('=');
                spaces();
                expect('"');
                b.label(name, labelValue());
                spaces();
                if (!atEnd() && peek() == ',') {
                    i++;
                } else if (atEnd() || peek() != '}') {
                    throw new IllegalArgumentException("expected , or } at column " + (i + 1));
                }
            }
        }

        private String labelValue() {
            for (int j = i; j < s.length(); j++) {
                char ch = s.charAt(j);
                if (ch == '"') {
                    String value = shared(s.substring(i, j));
                    i = j + 1;
                    return value;
                }
                if (ch == '\\') {
                    break;
                }
            }
            StringBuilder value = new StringBuilder();
            while (i < s.length()) {
                char ch = s.charAt(i++);
                if (ch == '"') {
                    return shared(value.toString());
                }
                if (ch == '\\' && i < s.length()) {
                    char next = s.charAt(i++);
                    switch (next) {
                        case 'n' -> value.append('\n');
                        case '\\', '"' -> value.append(next);
                        default -> value.append('\\').append(next);
                    }
                } else {
                    value.append(ch);
                }
            }
            throw new IllegalArgumentException("unterminated label value");
        }

        private void expect(char ch) {
            if (atEnd() || peek() != ch) {
                throw new IllegalArgumentException("expected " + ch + " at column " + (i + 1));
            }
            i++;
        }

        private static boolean isNameChar(char ch, boolean first, boolean colonAllowed) {
            return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || colonAllowed && ch == ':'
                    || !first && ch >= '0' && ch <= '9';
        }
    }
}

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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads the Prometheus text exposition format (version 0.0.4, what the kubelet serves) into client_java
 * snapshots, which client_java 1.7.0 can write but not read. A line that cannot be read is skipped and
 * counted, never fatal. Names are kept exactly: a counter whose name lacks {@code _total} becomes untyped,
 * because client_java would append the suffix and rename it. Sample timestamps are kept on request.
 *
 * <p>A full node's cAdvisor response has tens of thousands of series whose label sets repeat from family to
 * family (each container's labels appear in every {@code container_*} family), so one parse reads and relabels
 * each distinct label set once and shares the resulting {@link Labels}, and shares equal label names and values:
 * the snapshots held between scrapes stay small and the scrape allocates a fraction of what it would.
 */
public final class PrometheusTextParser {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /** The families read, and the lines skipped with the first problem found. */
    public record Result(MetricSnapshots snapshots, int skipped, String firstProblem) {
    }

    private enum Type { COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED }

    private record Sample(String name, Labels labels, double value, long timestampMillis) {
    }

    private static final class Family {
        final String name;
        Type type = Type.UNTYPED;
        String help;
        final List<Sample> samples = new ArrayList<>();

        Family(String name) {
            this.name = name;
        }
    }

    private final Map<String, Family> families = new LinkedHashMap<>();
    /** Relabelled label sets of this parse by their text as written, braces included. */
    private final Map<String, Labels> labelSets = new HashMap<>();
    /** One instance of every label name and value of this parse. */
    private final Map<String, String> strings = new HashMap<>();
    private final UnaryOperator<Labels> relabel;
    private final boolean keepTimestamps;
    private int skipped;
    private String firstProblem;

    private PrometheusTextParser(UnaryOperator<Labels> relabel, boolean keepTimestamps) {
        this.relabel = relabel;
        this.keepTimestamps = keepTimestamps;
    }

    /** Parses {@code in} as it is, timestamps included. */
    public static Result parse(Reader in) throws IOException {
        return parse(in, UnaryOperator.identity(), true);
    }

    /**
     * Parses {@code in}, passing every sample's labels through {@code relabel} (e.g. to rename old labels);
     * sample timestamps are read but dropped unless {@code keepTimestamps}. {@code relabel} must depend on the
     * labels alone: it is called once per distinct label set and its result shared by the samples that have it.
     */
    public static Result parse(Reader in, UnaryOperator<Labels> relabel, boolean keepTimestamps) throws IOException {
        PrometheusTextParser parser = new PrometheusTextParser(relabel, keepTimestamps);
        BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            try {
                parser.line(line);
            } catch (IllegalArgumentException e) {
                parser.skip("line " + number + ": " + e.getMessage());
            }
        }
        List<MetricSnapshot> built = new ArrayList<>();
        Set<String> otherNames = new HashSet<>();
        for (Family family : parser.families.values()) {
            MetricSnapshot snapshot = parser.build(family);
            if (snapshot != null && !snapshot.getDataPoints().isEmpty()) {
                built.add(snapshot);
                if (!(snapshot instanceof CounterSnapshot)) {
                    otherNames.add(snapshot.getMetadata().getPrometheusName());
                }
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        for (MetricSnapshot snapshot : built) {
            boolean clash = snapshot instanceof CounterSnapshot c
                    && otherNames.contains(c.getMetadata().getPrometheusName());
            out.add(clash ? untyped((CounterSnapshot) snapshot) : snapshot);
        }
        return new Result(new MetricSnapshots(out), parser.skipped, parser.firstProblem);
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

    private void line(String line) {
        Cursor c = new Cursor(line, strings);
        c.spaces();
        if (c.atEnd()) {
            return;
        }
        if (c.peek() == '#') {
            comment(c);
            return;
        }
        String name = c.metricName();
        c.spaces();
        Labels labels = !c.atEnd() && c.peek() == '{' ? labels(c) : relabel.apply(Labels.EMPTY);
        c.spaces();
        double value = parseValue(c.token());
        c.spaces();
        long timestamp = 0;
        if (!c.atEnd()) {
            String ts = c.token();
            try {
                timestamp = Long.parseLong(ts);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad timestamp \"" + ts + "\"");
            }
            if (timestamp < 0) {
                throw new IllegalArgumentException("timestamp before 1970: " + ts);
            }
            c.spaces();
            if (!c.atEnd()) {
                throw new IllegalArgumentException("unexpected text after the timestamp");
            }
        }
        familyOf(name).samples.add(new Sample(name, labels, value, keepTimestamps ? timestamp : 0));
    }

    /** The relabelled label set at the cursor, read and relabelled only the first time its text is seen. */
    private Labels labels(Cursor c) {
        String text = c.labelSetText();
        Labels labels = text == null ? null : labelSets.get(text);
        if (labels == null) {
            labels = relabel.apply(c.labels());
            if (text != null) {
                labelSets.put(text, labels);
            }
        } else {
            c.skip(text.length());
        }
        return labels;
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
        Family family = families.computeIfAbsent(name, Family::new);
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
        return families.computeIfAbsent(sample, Family::new);
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
            var point = CounterDataPointSnapshot.builder().labels(s.labels).value(s.value);
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
            var point = GaugeDataPointSnapshot.builder().labels(s.labels).value(s.value);
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
            var point = UnknownDataPointSnapshot.builder().labels(s.labels).value(s.value);
            if (s.timestampMillis != 0) {
                point.scrapeTimestampMillis(s.timestampMillis);
            }
            b.dataPoint(point.build());
        }
        return b.build();
    }

    /** Samples of a family that is not a histogram or summary, keeping the first of repeated label sets. */
    private List<Sample> distinct(Family f) {
        Map<Labels, Sample> byLabels = new LinkedHashMap<>();
        for (Sample s : f.samples) {
            if (byLabels.putIfAbsent(s.labels, s) != null) {
                skip("repeated series " + f.name + s.labels);
            }
        }
        return List.copyOf(byLabels.values());
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
            String bound = s.labels.get(boundLabel);
            boolean isBound = s.name.equals(f.type == Type.HISTOGRAM ? f.name + "_bucket" : f.name);
            Labels key = isBound ? without(s.labels, boundLabel) : s.labels;
            Point p = points.computeIfAbsent(key, k -> new Point());
            if (s.timestampMillis != 0) {
                p.timestampMillis = s.timestampMillis;
            }
            if (isBound) {
                if (bound == null) {
                    skip(s.name + s.labels + " has no " + boundLabel + " label");
                } else {
                    p.bounds.put(parseValue(bound), s.value);
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

    static double parseValue(String raw) {
        String v = raw.startsWith("+") ? raw.substring(1) : raw;
        if (v.equalsIgnoreCase("NaN")) {
            return Double.NaN;
        }
        if (v.equalsIgnoreCase("Inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (v.equalsIgnoreCase("-Inf")) {
            return Double.NEGATIVE_INFINITY;
        }
        if (!NUMBER.matcher(raw).matches()) {
            throw new IllegalArgumentException("bad value \"" + raw + "\"");
        }
        return Double.parseDouble(raw);
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

    /** Position in one line. */
    private static final class Cursor {
        private final String s;
        private final Map<String, String> strings;
        private int i;

        Cursor(String line, Map<String, String> strings) {
            this.s = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            this.strings = strings;
        }

        /** The text of the label set that starts at the cursor, braces included; null when it is unterminated. */
        String labelSetText() {
            boolean quoted = false;
            for (int j = i + 1; j < s.length(); j++) {
                char ch = s.charAt(j);
                if (quoted && ch == '\\') {
                    j++;
                } else if (ch == '"') {
                    quoted = !quoted;
                } else if (!quoted && ch == '}') {
                    return s.substring(i, j + 1);
                }
            }
            return null;
        }

        void skip(int chars) {
            i += chars;
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

package io.vedetta.agent.metrics.kubelet;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.metrics.ServedSeries;
import io.vedetta.agent.metrics.PassThroughFamily;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.agent.metrics.exposition.BytesKeyedCache;
import io.vedetta.agent.metrics.exposition.LabelText;
import io.vedetta.agent.metrics.exposition.TextLexer;
import io.vedetta.agent.metrics.kubelet.ParsedFamily.LabelSet;
import io.vedetta.agent.metrics.kubelet.ParsedFamily.Type;
import io.vedetta.bytes.Words;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads a kubelet endpoint's Prometheus text response (version 0.0.4) into what {@code /metrics} serves: {@link
 * TextLexer} reads the bytes, this class gathers its samples into families under shared label sets, and {@link
 * SnapshotBuilder} builds client_java snapshots or passes families through as encoded series. Each distinct label
 * set's bytes in every format ({@link io.vedetta.agent.metrics.EncodedLabels}) are kept with it, found by the bytes
 * the kubelet wrote it as. A line that cannot be read is skipped and counted, never fatal; a body that ends inside a
 * line was cut short and fails the read ({@link EOFException}), as any failure of the stream does, and then nothing
 * of it is served. Sample timestamps are kept on request.
 *
 * <p>A full node's cAdvisor response has tens of thousands of series whose label sets repeat from family to
 * family (each container's labels appear in every {@code container_*} family) and from scrape to scrape. One
 * parser serves one endpoint and keeps, from one parse to the next, the relabelled {@link Labels} of every label
 * set by the bytes it is written as: the response is read as bytes while it arrives, and a series seen before
 * costs a hash, a comparison of bytes and its value. Label sets not seen in a parse are forgotten at its end,
 * but only at the end of a whole one: a read that fails (a body cut short) forgets nothing and adds only label
 * sets of complete lines, so the next read finds the caches as a whole response left them. One parse at a time.
 */
public final class PrometheusTextParser {

    /**
     * The families read, through client_java's model or passed through as encoded series (no name in both), and the
     * lines skipped with the first problem found.
     */
    public record Result(MetricSnapshots model, List<PassThroughFamily> passThrough, int skipped,
            String firstProblem) {

        /** Every family read, as client_java snapshots. */
        public MetricSnapshots snapshots() {
            return new ServedSeries(model, passThrough).materialized();
        }
    }

    private final UnaryOperator<Labels> relabel;
    private final boolean keepTimestamps;
    private final TextLexer lexer = new TextLexer();
    private final LabelText labelText = new LabelText();
    /** Relabelled label sets by their text as written, braces included. */
    private final BytesKeyedCache<LabelSet> labelSets = new BytesKeyedCache<>();
    /** The label set instance of each distinct relabelled label set in {@link #labelSets}. */
    private final Map<Labels, LabelSet> distinctLabelSets = new HashMap<>();
    private final BytesKeyedCache<String> names = new BytesKeyedCache<>();
    /** The families of the last parse, emptied: their sample columns are filled again by the next. */
    private Map<String, ParsedFamily> lastParse = new HashMap<>();

    private long parses;
    /** Distinct label sets seen in this parse: when all of them were, none is forgotten at its end. */
    private int seenSets;
    private long familyIds;
    /** Whether label sets were added since they were last ranked. */
    private boolean unranked;
    private LabelSet noLabels;

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
        if (filter != null) {
            filter.begin();
        }
        Families families = new Families();
        labelText.forget();
        parses++;
        seenSets = 0;
        labelSets.beginParse();
        names.beginParse();
        noLabels = null;
        boolean whole = false;
        try {
            lexer.read(in, families);
            if (unranked) {
                rank();
            }
            SnapshotBuilder.Families built = new SnapshotBuilder(filter, families.skips, keepTimestamps)
                    .build(families.byName.values());
            Result result = new Result(new MetricSnapshots(built.snapshots()), built.passThrough(),
                    families.skips.count(), families.skips.first());
            whole = true;
            return result;
        } finally {
            families.byName.values().forEach(ParsedFamily::forget);
            lastParse = families.byName;
            if (whole) {
                labelSets.endParse();
                names.endParse();
                if (seenSets != distinctLabelSets.size()) {
                    distinctLabelSets.values().removeIf(set -> set.seenIn != parses);
                }
            } else if (filter != null) {
                filter.abort();
            }
        }
    }

    /** The families of one parse, gathered from the lexer's events. */
    private final class Families implements TextLexer.Listener {
        final Map<String, ParsedFamily> byName = new LinkedHashMap<>();
        final Skips skips = new Skips();
        /**
         * The family of the last sample's name, which the samples after it mostly share, while no HELP or TYPE line
         * came in between (one may change which family a name belongs to); names are one instance per name.
         */
        private String lastName;
        private ParsedFamily lastFamily;
        private long declarations;
        private long lastDeclarations;
        /** The label set {@link #knownLabelSet} found, and where, until the sample of its line takes it. */
        private LabelSet known;
        private byte[] knownLine;
        private int knownFrom;
        private int knownTo;

        @Override
        public void help(String family, String text) {
            byName.computeIfAbsent(family, this::newFamily).help = text;
            declarations++;
        }

        @Override
        public void type(String family, String type) {
            Type parsed = switch (type) {
                case "counter" -> Type.COUNTER;
                case "gauge" -> Type.GAUGE;
                case "histogram" -> Type.HISTOGRAM;
                case "summary" -> Type.SUMMARY;
                case "untyped" -> Type.UNTYPED;
                default -> throw new IllegalArgumentException("unknown type \"" + type + "\" for " + family);
            };
            byName.computeIfAbsent(family, this::newFamily).type = parsed;
            declarations++;
        }

        @Override
        public void sample(byte[] line, int nameFrom, int nameTo, int labelsFrom, int labelsTo, double value,
                long timestampMillis) {
            String name = name(line, nameFrom, nameTo);
            LabelSet set;
            if (labelsFrom == labelsTo) {
                set = noLabels();
            } else if (known != null && knownLine == line && knownFrom == labelsFrom && knownTo == labelsTo) {
                set = seen(known);
            } else {
                set = labelSet(line, labelsFrom, labelsTo);
            }
            known = null;
            long timestamp = keepTimestamps && timestampMillis != TextLexer.NO_TIMESTAMP ? timestampMillis : 0;
            if (name != lastName || declarations != lastDeclarations) {
                lastFamily = familyOf(name);
                lastName = name;
                lastDeclarations = declarations;
            }
            lastFamily.add(name, set, value, timestamp);
        }

        @Override
        public void skipped(String problem) {
            known = null;
            skips.add(problem);
        }

        /** A label set of this parse or the last: its lookup is kept for the {@link #sample} of the same line. */
        @Override
        public boolean knownLabelSet(byte[] b, int from, int to) {
            known = null;
            int hash = Words.hash(b, from, to);
            LabelSet set = labelSets.get(b, from, to, hash);
            if (set == null) {
                return false;
            }
            known = set;
            knownLine = b;
            knownFrom = from;
            knownTo = to;
            return true;
        }

        private ParsedFamily familyOf(String sample) {
            for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
                if (sample.endsWith(suffix)) {
                    ParsedFamily base = byName.get(sample.substring(0, sample.length() - suffix.length()));
                    if (base != null && (base.type == Type.HISTOGRAM
                            || base.type == Type.SUMMARY && !suffix.equals("_bucket"))) {
                        return base;
                    }
                }
            }
            return byName.computeIfAbsent(sample, this::newFamily);
        }

        private ParsedFamily newFamily(String name) {
            ParsedFamily last = lastParse.remove(name);
            return last != null ? last.reuse(++familyIds) : new ParsedFamily(++familyIds, name);
        }
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
            Labels.Builder labels = Labels.builder();
            labelText.read(b, from, to, labels::label);
            set = distinct(relabel.apply(labels.build()));
            labelSets.put(b, from, to, hash, set);
        }
        return seen(set);
    }

    private LabelSet noLabels() {
        if (noLabels == null) {
            noLabels = seen(distinct(relabel.apply(Labels.EMPTY)));
        }
        return noLabels;
    }

    /** {@code set}, marked as seen in this parse. */
    private LabelSet seen(LabelSet set) {
        if (set.seenIn != parses) {
            set.seenIn = parses;
            seenSets++;
        }
        return set;
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
}

package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cardinality controls of {@link MetricFilterConfig}, applied by {@link SourceCollector} to every source:
 * family allow/deny lists, dropped labels, what kube-prometheus drops ({@link KubePrometheusDrops}) or more, and pod
 * labels as extra labels.
 */
public final class SeriesFilter {

    private static final Pattern NOT_LABEL_CHAR = Pattern.compile("[^a-zA-Z0-9_]");

    private final MetricFilterConfig config;
    private final PodMetadata pods;
    private final Set<String> dropLabels;
    private final List<String[]> podLabels;

    public SeriesFilter(MetricFilterConfig config, PodMetadata pods) {
        this.config = config;
        this.pods = pods;
        this.dropLabels = Set.copyOf(config.dropLabels());
        this.podLabels = config.podLabels().stream()
                .map(key -> new String[] {key, "label_" + NOT_LABEL_CHAR.matcher(key).replaceAll("_")})
                .toList();
    }

    /**
     * What survived the filters (through client_java's model, or passed through as encoded series by the kubelet
     * sources), and how many series were dropped because dropping labels made them equal.
     */
    public record Result(MetricSnapshots model, List<PassThroughFamily> passThrough, int duplicates) {

        public Result(MetricSnapshots model, int duplicates) {
            this(model, List.of(), duplicates);
        }

        /** Every family, as client_java snapshots. */
        public MetricSnapshots snapshots() {
            return new ServedSeries(model, passThrough).materialized();
        }

        /** Series as Prometheus counts them. */
        public int seriesCount() {
            int count = SourceCollector.seriesCount(model);
            for (PassThroughFamily family : passThrough) {
                count += family.size();
            }
            return count;
        }
    }

    /** Filters one collection; see {@link ForSource} for filtering a source's collections one after another. */
    public Result apply(MetricSnapshots in) {
        return forSource().apply(in);
    }

    /** The filter for the collections of one source, made once per source. */
    public ForSource forSource() {
        return new ForSource();
    }

    /**
     * The filter applied to one source's collections in turn. A label set is filtered once per collection, and
     * its result is kept for the next collection: sources that keep their label sets from scrape to scrape (the
     * kubelet's, whose parser does) then cost a lookup by identity per series. Results that depend on pod labels
     * are not kept, since a pod's labels can change. Not thread-safe: one collection at a time.
     *
     * <p>A source may filter its series itself while it builds its snapshots ({@link MetricSource#collect(ForSource)}):
     * between {@link #begin} and {@link #duplicates} it asks {@link #allowed}, and either {@link #series} for each
     * series when {@link #onlyDrops} (the default filters: they keep or drop a series, never change its labels) or
     * {@link #family} for each family built.
     */
    public final class ForSource {

        /** A label set as served, and what the drop rules read of it ({@code NO_POD}... bits). */
        private record Entry(Labels served, int facts) {
        }

        private Map<Labels, Entry> entries = new IdentityHashMap<>();
        private Map<Labels, Entry> previous = Map.of();
        /** Per family (as exposed): the facts of a label set that drop a series of it. */
        private final Map<String, Integer> dropMasks = new HashMap<>();
        private int duplicates;

        private ForSource() {
        }

        public Result apply(MetricSnapshots in) {
            begin();
            List<MetricSnapshot> out = new ArrayList<>();
            for (MetricSnapshot family : in) {
                MetricSnapshot filtered = family(family);
                if (filtered != null) {
                    out.add(filtered);
                }
            }
            return new Result(new MetricSnapshots(out), duplicates());
        }

        /** Starts one collection. */
        public void begin() {
            previous = podLabels.isEmpty() ? entries : Map.of();
            entries = new IdentityHashMap<>(previous.size());
            duplicates = 0;
        }

        /**
         * Ends a collection that failed before it was whole: the results kept from the last whole collection stay
         * for the next one, rather than the part of them this one got to.
         */
        public void abort() {
            previous.forEach(entries::putIfAbsent);
        }

        /** Series dropped since {@link #begin} because dropping labels made them equal to another. */
        public int duplicates() {
            return duplicates;
        }

        /**
         * Whether the family exposed as {@code exposedName} is served at all (allow and deny lists, and the families
         * kube-prometheus drops). For a counter, gauge or untyped family, whose samples carry that name.
         */
        public boolean allowed(String exposedName) {
            return SeriesFilter.this.allowed(exposedName) && !dropsSamples(exposedName);
        }

        /** Whether the filters only keep or drop series, so that {@link #series} never changes labels. */
        public boolean onlyDrops() {
            return dropLabels.isEmpty() && podLabels.isEmpty();
        }

        /**
         * The labels a series of the allowed family {@code exposedName} is served with: {@code labels} itself
         * when {@link #onlyDrops}, or null when it is dropped.
         */
        public Labels series(String exposedName, Labels labels) {
            int mask = dropMask(exposedName);
            if (mask == 0 && onlyDrops()) {
                return labels;
            }
            Entry entry = entry(labels);
            return (entry.facts() & mask) != 0 ? null : entry.served();
        }

        /** {@code family} filtered, or null when nothing of it is served. */
        public MetricSnapshot family(MetricSnapshot family) {
            String name = Snapshots.exposedName(family);
            if (!SeriesFilter.this.allowed(name)) {
                return null;
            }
            if (family instanceof SummarySnapshot summary) {
                boolean quantiles = dropsSamples(name);
                if (quantiles && dropsSamples(name + "_sum") && dropsSamples(name + "_count")) {
                    return null;
                }
                if (quantiles) {
                    family = Snapshots.withoutQuantiles(summary);
                }
            } else if (family instanceof HistogramSnapshot) {
                // A histogram is whole or nothing: no kube-prometheus rule names only some of its samples.
                if (dropsSamples(name + "_bucket") || dropsSamples(name + "_sum") || dropsSamples(name + "_count")) {
                    return null;
                }
            } else if (dropsSamples(name)) {
                return null;
            }
            int mask = dropMask(name);
            if (mask == 0 && onlyDrops()) {
                return family;
            }
            Snapshots.Rebuilt rebuilt = Snapshots.relabel(family, labels -> {
                Entry entry = entry(labels);
                return (entry.facts() & mask) != 0 ? null : entry.served();
            }, !dropLabels.isEmpty());
            duplicates += rebuilt.duplicates();
            return rebuilt.family();
        }

        private int dropMask(String exposedName) {
            return dropMasks.computeIfAbsent(exposedName, SeriesFilter.this::dropMask);
        }

        private Entry entry(Labels labels) {
            Entry entry = entries.get(labels);
            if (entry == null) {
                entry = previous.get(labels);
                if (entry == null) {
                    entry = new Entry(relabel(labels), facts(labels));
                }
                entries.put(labels, entry);
            }
            return entry;
        }
    }

    /** Bits of {@link #facts}: what the drop rules ask of a label set. */
    private static final int NO_POD_NOR_NAMESPACE = 1;
    private static final int NO_POD_OR_NAMESPACE = 2;
    private static final int WITH_CONTAINER = 4;

    private static int facts(Labels labels) {
        boolean noPod = isEmpty(labels.get("pod"));
        boolean noNamespace = isEmpty(labels.get("namespace"));
        return (noPod && noNamespace ? NO_POD_NOR_NAMESPACE : 0) | (noPod || noNamespace ? NO_POD_OR_NAMESPACE : 0)
                | (isEmpty(labels.get("container")) ? 0 : WITH_CONTAINER);
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    /** The facts of a label set that drop a series of the family exposed as {@code name}. */
    private int dropMask(String name) {
        int mask = 0;
        if (config.dropContainerSeriesWithoutPod()) {
            mask |= switch (KubePrometheusDrops.seriesRule(name)) {
                case DROP_WITHOUT_POD_AND_NAMESPACE -> NO_POD_NOR_NAMESPACE;
                case DROP_WITH_CONTAINER -> WITH_CONTAINER;
                case KEEP -> 0;
            };
        }
        if (config.dropAllContainerSeriesWithoutPod() && name.startsWith("container_")) {
            mask |= NO_POD_OR_NAMESPACE;
        }
        return mask;
    }

    private boolean dropsSamples(String sampleName) {
        return config.dropContainerSeriesWithoutPod() && KubePrometheusDrops.dropsSamples(sampleName);
    }

    private boolean allowed(String name) {
        if (!config.allow().isEmpty() && config.allow().stream().noneMatch(p -> p.matcher(name).matches())) {
            return false;
        }
        return config.deny().stream().noneMatch(p -> p.matcher(name).matches());
    }

    /** {@code labels} with the chosen labels dropped and the chosen pod labels added. */
    private Labels relabel(Labels labels) {
        Labels result = labels;
        if (!dropLabels.isEmpty() && labels.stream().anyMatch(l -> dropLabels.contains(l.getName()))) {
            Labels.Builder kept = Labels.builder();
            labels.forEach(l -> {
                if (!dropLabels.contains(l.getName())) {
                    kept.label(l.getName(), l.getValue());
                }
            });
            result = kept.build();
        }
        String pod = labels.get("pod");
        String namespace = labels.get("namespace");
        if (!podLabels.isEmpty() && !isEmpty(pod) && !isEmpty(namespace)) {
            Optional<PodInfo> info = pods.byName(namespace, pod);
            if (info.isPresent()) {
                for (String[] keyAndLabel : podLabels) {
                    String value = info.get().labels().get(keyAndLabel[0]);
                    if (value != null && !result.contains(keyAndLabel[1])) {
                        result = result.add(keyAndLabel[1], value);
                    }
                }
            }
        }
        return result;
    }
}

package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.logs.enrich.PodInfo;
import io.vedetta.logs.enrich.PodMetadata;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cardinality controls of {@link MetricFilterConfig}, applied by {@link SourceCollector} to every source:
 * family allow/deny lists, dropped labels, container series without a pod, and pod labels as extra labels.
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

    /** What survived the filters, and how many series were dropped because dropping labels made them equal. */
    public record Result(MetricSnapshots snapshots, int duplicates) {
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

        private static final Object DROPPED = new Object();

        private Map<Labels, Object> containers = new IdentityHashMap<>();
        private Map<Labels, Object> others = new IdentityHashMap<>();
        private Map<Labels, Object> previousContainers = Map.of();
        private Map<Labels, Object> previousOthers = Map.of();
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
            boolean keep = podLabels.isEmpty();
            previousContainers = keep ? containers : Map.of();
            previousOthers = keep ? others : Map.of();
            containers = new IdentityHashMap<>(previousContainers.size());
            others = new IdentityHashMap<>(previousOthers.size());
            duplicates = 0;
        }

        /**
         * Ends a collection that failed before it was whole: the results kept from the last whole collection stay
         * for the next one, rather than the part of them this one got to.
         */
        public void abort() {
            if (podLabels.isEmpty()) {
                previousContainers.forEach(containers::putIfAbsent);
                previousOthers.forEach(others::putIfAbsent);
            }
        }

        /** Series dropped since {@link #begin} because dropping labels made them equal to another. */
        public int duplicates() {
            return duplicates;
        }

        /** Whether the family exposed as {@code exposedName} is served at all (allow and deny lists). */
        public boolean allowed(String exposedName) {
            return SeriesFilter.this.allowed(exposedName);
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
            boolean container = container(exposedName);
            return !container && onlyDrops() ? labels : relabelled(labels, container);
        }

        /** {@code family} filtered, or null when nothing of it is served. */
        public MetricSnapshot family(MetricSnapshot family) {
            String name = Snapshots.exposedName(family);
            if (!allowed(name)) {
                return null;
            }
            boolean container = container(name);
            if (!container && onlyDrops()) {
                return family;
            }
            Snapshots.Rebuilt rebuilt = Snapshots.relabel(family, labels -> relabelled(labels, container),
                    !dropLabels.isEmpty());
            duplicates += rebuilt.duplicates();
            return rebuilt.family();
        }

        private boolean container(String exposedName) {
            return config.dropContainerSeriesWithoutPod() && exposedName.startsWith("container_");
        }

        private Labels relabelled(Labels labels, boolean container) {
            Map<Labels, Object> results = container ? containers : others;
            Object result = results.get(labels);
            if (result == null) {
                result = (container ? previousContainers : previousOthers).get(labels);
                if (result == null) {
                    Labels relabelled = relabel(labels, container);
                    result = relabelled == null ? DROPPED : relabelled;
                }
                results.put(labels, result);
            }
            return result == DROPPED ? null : (Labels) result;
        }
    }

    private boolean allowed(String name) {
        if (!config.allow().isEmpty() && config.allow().stream().noneMatch(p -> p.matcher(name).matches())) {
            return false;
        }
        return config.deny().stream().noneMatch(p -> p.matcher(name).matches());
    }

    private Labels relabel(Labels labels, boolean container) {
        String pod = labels.get("pod");
        String namespace = labels.get("namespace");
        boolean hasPod = pod != null && !pod.isEmpty() && namespace != null && !namespace.isEmpty();
        if (container && !hasPod) {
            return null;
        }
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
        if (hasPod && !podLabels.isEmpty()) {
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

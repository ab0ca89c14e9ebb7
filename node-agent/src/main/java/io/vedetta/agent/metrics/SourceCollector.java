package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.vedetta.agent.config.MetricSourcesConfig;
import io.vedetta.agent.lifecycle.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Serves every {@link MetricSource} on {@code /metrics}: at scrape time all sources are collected in parallel
 * on a small executor, each within its timeout. A source that fails or times out never fails the scrape:
 * its last good snapshot is served, marked by {@code vedetta_source_stale}, until it is older than
 * {@code metrics.sources.maxStaleness}. The cardinality filters are applied to every source's series.
 *
 * <p>client_java fails a whole registry scrape when two collectors expose one name with different types, or the
 * same series twice. Sources pass through names they do not control (the kubelet's {@code process_*}), so each
 * scrape looks at what the rest of the registry exposes and leaves out clashing families and series, counted as
 * {@code conflicting_family} and {@code duplicate_series}. That is why the sources are not a collector of the
 * registry but served beside its collectors by {@link ServedRegistry}, which hands them the rest of the scrape. The
 * kubelet's counters, gauges and untyped families come passed through as encoded series ({@link PassThroughFamily})
 * and stay so unless their name is served twice, when they go through client_java's model like the rest.
 */
public final class SourceCollector implements Part {

    /** The sources' health families, which every scrape that asks for them gets for every source. */
    private static final FamilyNames HEALTH = FamilyNames.of(
            List.of(SourceMetrics.UP, SourceMetrics.DURATION, SourceMetrics.STALE, SourceMetrics.SERIES));

    private final List<SourceState> states = new ArrayList<>();
    private final MetricSourcesConfig config;
    private final Registries registries;
    private final MetricsErrors errors;
    private final ExecutorService executor;

    public SourceCollector(List<MetricSource> sources, MetricSourcesConfig config, SeriesFilter filter,
            Registries registries, MetricsErrors errors) {
        this.config = config;
        this.registries = registries;
        this.errors = errors;
        for (MetricSource source : sources) {
            states.add(new SourceState(source, config.timeoutFor(source.name()), filter, errors));
        }
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.threads(), runnable -> {
            Thread thread = new Thread(runnable, "vedetta-metric-source-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String name() {
        return "metric-sources";
    }

    @Override
    public void start() {
        registries.prometheus().serve(this);
    }

    @Override
    public void stop(Duration grace) {
        registries.prometheus().stopServing(this);
        executor.shutdownNow();
    }

    /**
     * Starts the collection of every source (or joins the one in flight or begun within the share window) that
     * could serve {@code requested}, all when it is null or asks for the sources' health; {@link Collection#finish}
     * waits for them.
     */
    Collection begin(RequestedNames requested) {
        long start = System.nanoTime();
        boolean all = requested == null || HEALTH.couldServe(requested);
        List<Future<SourceState.Outcome>> futures = new ArrayList<>();
        for (SourceState state : states) {
            futures.add(all || state.families().couldServe(requested)
                    ? state.begin(executor, config.shareWindow().toNanos()) : null);
        }
        return new Collection(start, futures);
    }

    /** The sources' collections of one scrape, begun at {@code start}; null for a source the scrape skips. */
    final class Collection {
        private final long start;
        private final List<Future<SourceState.Outcome>> futures;

        private Collection(long start, List<Future<SourceState.Outcome>> futures) {
            this.start = start;
            this.futures = futures;
        }

        /**
         * {@code rest}, the scrape of the registry's own collectors, plus the sources' families that do not clash
         * with it and the health of the sources collected; sources' families only if {@code includedNames} (when
         * given) has them. A passed-through family whose name is also served elsewhere goes through client_java's
         * model as a snapshot, so that its clashes are found and counted as every family's are.
         */
        ServedSeries finish(MetricSnapshots rest, Predicate<String> includedNames) {
            Health health = new Health();
            List<SeriesFilter.Result> served = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                SourceState state = states.get(i);
                if (futures.get(i) == null) {
                    served.add(null);
                    continue;
                }
                Labels source = Labels.of("source", state.name());
                SeriesFilter.Result result = await(state, futures.get(i), start, health, source);
                health.series.add(gauge(source, result == null ? 0 : result.seriesCount()));
                served.add(result);
            }
            Map<String, MetricSnapshot> others = new HashMap<>();
            rest.forEach(f -> others.put(f.getMetadata().getPrometheusName(), f));
            Map<String, Integer> servedNames = new HashMap<>();
            for (SeriesFilter.Result result : served) {
                if (result != null) {
                    result.model().forEach(f -> servedNames.merge(f.getMetadata().getPrometheusName(), 1,
                            Integer::sum));
                    result.passThrough().forEach(f -> servedNames.merge(f.familyName(), 1, Integer::sum));
                }
            }
            Map<String, MetricSnapshot> families = new LinkedHashMap<>();
            List<PassThroughFamily> passThrough = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                SeriesFilter.Result result = served.get(i);
                if (result == null) {
                    continue;
                }
                List<MetricSnapshot> model = new ArrayList<>(result.model().size());
                result.model().forEach(model::add);
                for (PassThroughFamily family : result.passThrough()) {
                    if (others.containsKey(family.familyName()) || servedNames.get(family.familyName()) > 1) {
                        model.add(family.toSnapshot());
                    } else {
                        passThrough.add(family);
                    }
                }
                addAll(families, others, model, states.get(i).name());
            }
            List<MetricSnapshot> out = new ArrayList<>(rest.size() + families.size() + 4);
            rest.forEach(out::add);
            families.values().forEach(out::add);
            out.add(health.family(SourceMetrics.UP, health.up, null));
            out.add(health.family(SourceMetrics.DURATION, health.duration, Unit.SECONDS));
            out.add(health.family(SourceMetrics.STALE, health.stale, null));
            out.add(health.family(SourceMetrics.SERIES, health.series, null));
            if (includedNames != null) {
                out.subList(rest.size(), out.size())
                        .removeIf(f -> !includedNames.test(f.getMetadata().getPrometheusName()));
                passThrough.removeIf(f -> !includedNames.test(f.familyName()));
            }
            return new ServedSeries(new MetricSnapshots(out), passThrough);
        }
    }

    /** Waits for the source until its deadline and records its health; returns the series to serve, if any. */
    private SeriesFilter.Result await(SourceState state, Future<SourceState.Outcome> future, long start, Health health,
            Labels source) {
        long remaining = state.timeout().toNanos() - (System.nanoTime() - start);
        SourceState.Outcome outcome = null;
        try {
            outcome = future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            errors.failed(state.name(), ErrorReason.TIMEOUT, "no result within " + state.timeout().toMillis()
                    + "ms (metrics.sources.timeout); serving its last good series as stale", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            outcome = new SourceState.Outcome(null, 0, e.getCause());
        }
        if (outcome != null && outcome.failure() == null) {
            errors.recovered(state.name());
            health.record(source, 1, outcome.nanos(), 0);
            return outcome.served();
        }
        if (outcome != null) {
            Throwable failure = outcome.failure();
            ErrorReason reason = failure instanceof SourceException s ? s.reason() : ErrorReason.COLLECT_FAILED;
            errors.failed(state.name(), reason, String.valueOf(failure.getMessage()),
                    failure instanceof SourceException ? failure.getCause() : failure);
        }
        long nanos = outcome != null ? outcome.nanos() : System.nanoTime() - start;
        SeriesFilter.Result stale = state.lastGood(config.maxStaleness(), System.nanoTime());
        health.record(source, 0, nanos, stale == null ? 0 : 1);
        return stale;
    }

    /** Adds a source's families, merged by name with other sources', minus whatever clashes with the registry. */
    private void addAll(Map<String, MetricSnapshot> families, Map<String, MetricSnapshot> others,
            List<MetricSnapshot> served, String source) {
        for (MetricSnapshot family : served) {
            String name = family.getMetadata().getPrometheusName();
            MetricSnapshot other = others.get(name);
            if (other != null) {
                family = withoutSeriesOf(other, family, source);
                if (family == null) {
                    continue;
                }
            }
            MetricSnapshot existing = families.get(name);
            if (existing == null) {
                families.put(name, family);
                continue;
            }
            Snapshots.Rebuilt merged = Snapshots.merge(existing, family);
            if (merged == null) {
                conflict(source, family);
                continue;
            }
            errors.skipped(source, ErrorReason.DUPLICATE_SERIES, merged.duplicates(), "a series of "
                    + Snapshots.exposedName(family) + " that another source already exposes with the same labels");
            families.put(name, merged.family());
        }
    }

    /** {@code family} without the series that {@code other}, a family of another collector, already has. */
    private MetricSnapshot withoutSeriesOf(MetricSnapshot other, MetricSnapshot family, String source) {
        if (other.getClass() != family.getClass()) {
            conflict(source, family);
            return null;
        }
        Set<Labels> taken = new HashSet<>();
        other.getDataPoints().forEach(p -> taken.add(p.getLabels()));
        Snapshots.Rebuilt rebuilt = Snapshots.relabel(family, labels -> taken.contains(labels) ? null : labels,
                false);
        int clashes = family.getDataPoints().size()
                - (rebuilt.family() == null ? 0 : rebuilt.family().getDataPoints().size());
        errors.skipped(source, ErrorReason.DUPLICATE_SERIES, clashes, "a series of " + Snapshots.exposedName(family)
                + " that the agent itself already exposes with the same labels");
        return rebuilt.family();
    }

    private void conflict(String source, MetricSnapshot family) {
        errors.skipped(source, ErrorReason.CONFLICTING_FAMILY, 1, Snapshots.exposedName(family)
                + ", whose name is already exposed with another type");
    }

    /** Series as Prometheus counts them: a histogram or summary is its buckets or quantiles plus count and sum. */
    static int seriesCount(MetricSnapshots snapshots) {
        int count = 0;
        for (MetricSnapshot family : snapshots) {
            for (DataPointSnapshot point : family.getDataPoints()) {
                if (point instanceof HistogramDataPointSnapshot h) {
                    count += h.getClassicBuckets().size() + 2;
                } else if (point instanceof SummaryDataPointSnapshot s) {
                    count += s.getQuantiles().size() + 2;
                } else if (point instanceof StateSetDataPointSnapshot s) {
                    count += s.size();
                } else {
                    count += family instanceof CounterSnapshot && point.hasCreatedTimestamp() ? 2 : 1;
                }
            }
        }
        return count;
    }

    private static GaugeDataPointSnapshot gauge(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    /** The health series of one scrape, one data point per source. */
    private static final class Health {
        final List<GaugeDataPointSnapshot> up = new ArrayList<>();
        final List<GaugeDataPointSnapshot> duration = new ArrayList<>();
        final List<GaugeDataPointSnapshot> stale = new ArrayList<>();
        final List<GaugeDataPointSnapshot> series = new ArrayList<>();

        void record(Labels source, int isUp, long nanos, int isStale) {
            up.add(gauge(source, isUp));
            duration.add(gauge(source, Unit.nanosToSeconds(nanos)));
            stale.add(gauge(source, isStale));
        }

        GaugeSnapshot family(MetricName name, List<GaugeDataPointSnapshot> points, Unit unit) {
            GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name.name()).help(name.help());
            if (unit != null) {
                builder.unit(unit);
            }
            points.forEach(builder::dataPoint);
            return builder.build();
        }
    }
}

package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The registry {@code /metrics} serves: client_java's, plus the metric sources of a {@link SourceCollector},
 * which are not one of its collectors. A scrape starts the sources' collection first, collects the registry's own
 * collectors (Micrometer's meters, pod state) on the scraping thread while the sources run, then adds what the
 * sources served minus what clashes with those collectors. As a collector of the registry, the sources had to
 * collect the rest of the registry once more per scrape to find the clashes; here the one collection serves both.
 */
public final class ServedRegistry extends PrometheusRegistry {

    private volatile SourceCollector sources;

    /** Serves {@code collector}'s sources from now on; there is one per agent. */
    void serve(SourceCollector collector) {
        this.sources = collector;
    }

    /** Stops serving {@code collector}'s sources, if they are the ones served. */
    void stopServing(SourceCollector collector) {
        if (sources == collector) {
            sources = null;
        }
    }

    @Override
    public MetricSnapshots scrape(PrometheusScrapeRequest scrapeRequest) {
        return expose(null, scrapeRequest).materialized();
    }

    /**
     * With {@link RequestedNames} as {@code includedNames} only the sources that could serve one of the names are
     * collected; with any other filter all of them are.
     */
    @Override
    public MetricSnapshots scrape(Predicate<String> includedNames, PrometheusScrapeRequest scrapeRequest) {
        return expose(includedNames, scrapeRequest).materialized();
    }

    /**
     * What {@code /metrics} serves, for {@link ExpositionWriter}: the scrape with the kubelet's families passed
     * through as encoded series rather than made into snapshots. {@code includedNames} as in {@link #scrape(Predicate,
     * PrometheusScrapeRequest)}, or null for every family.
     */
    public ServedSeries expose(Predicate<String> includedNames, PrometheusScrapeRequest scrapeRequest) {
        Supplier<MetricSnapshots> rest = includedNames == null ? () -> super.scrape(scrapeRequest)
                : () -> super.scrape(includedNames, scrapeRequest);
        SourceCollector collector = sources;
        if (collector == null) {
            return new ServedSeries(rest.get(), List.of());
        }
        SourceCollector.Collection collection = collector.begin(includedNames instanceof RequestedNames names
                ? names : null);
        return collection.finish(rest.get(), includedNames);
    }
}

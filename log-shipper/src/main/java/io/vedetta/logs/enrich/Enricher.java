package io.vedetta.logs.enrich;

import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.pods.PodMetadata;
import java.time.Clock;

/**
 * Makes the enrich stage of each file. Built once by the pipeline; holds what the files share and is
 * thread-safe, while each {@link FileEnricher} belongs to one thread.
 */
public final class Enricher {

    private final EnrichConfig config;
    private final PodMetadata pods;
    private final EnrichMetrics metrics;
    private final Clock clock;

    public Enricher(EnrichConfig config, PodMetadata pods, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.pods = pods;
        this.metrics = new EnrichMetrics(registry);
        this.clock = clock;
    }

    /** The enricher of one file; looks its pod up now. */
    public FileEnricher forFile(ContainerRef source) {
        return new FileEnricher(source, config, pods, metrics, clock);
    }
}

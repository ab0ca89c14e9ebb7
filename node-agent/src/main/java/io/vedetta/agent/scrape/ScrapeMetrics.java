package io.vedetta.agent.scrape;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod scrapes' own series, and their failures logged once per target and reason when they start (and once when
 * the target recovers), not on every scrape while they last.
 */
final class ScrapeMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeMetrics.class);

    private final Map<String, Counter> failures = new HashMap<>();
    private final Counter samples;
    private final Counter duplicates;
    private final Counter annotationProblems;
    final AtomicInteger targets = new AtomicInteger();

    ScrapeMetrics(MeterRegistry registry) {
        for (String reason : ScrapeFailure.REASONS) {
            failures.put(reason, Counter.builder("vedetta.scrape.failures")
                    .description("Failed scrapes of pods and of the agent itself, by reason (up is 0 for them)")
                    .tag("reason", reason).register(registry));
        }
        samples = Counter.builder("vedetta.scrape.samples")
                .description("Samples scraped from pods and the agent itself, after metric relabelling")
                .register(registry);
        duplicates = Counter.builder("vedetta.scrape.samples.duplicate")
                .description("Samples left out because their target wrote the same series twice in one scrape")
                .register(registry);
        annotationProblems = Counter.builder("vedetta.scrape.annotation.errors")
                .description("Pods whose prometheus.io annotations could not be used as written (logged once per pod)")
                .register(registry);
        Gauge.builder("vedetta.scrape.targets", targets, AtomicInteger::get)
                .description("Targets being scraped: annotated pod ports, and the agent itself").register(registry);
    }

    void scraped(int kept, int duplicated) {
        samples.increment(kept);
        if (duplicated > 0) {
            duplicates.increment(duplicated);
        }
    }

    /** Counts a failed scrape; logs it unless the target was already failing for this reason. */
    void failed(ScrapeTarget target, String reason, String message, boolean ongoing) {
        failures.get(reason).increment();
        if (!ongoing) {
            LOG.warn("scrape of {} failed ({}): {}; up is 0 until it recovers", target.describe(), reason, message);
        }
    }

    void recovered(ScrapeTarget target) {
        LOG.info("scrape of {} works again", target.describe());
    }

    void annotationProblem(String pod, String problem) {
        annotationProblems.increment();
        LOG.warn("pod {}: {}", pod, problem);
    }
}

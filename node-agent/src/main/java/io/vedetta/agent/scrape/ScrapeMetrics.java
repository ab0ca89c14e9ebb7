package io.vedetta.agent.scrape;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.agent.metrics.SourceMetrics;
import io.vedetta.secrets.LoggedRereads;
import io.vedetta.secrets.Rereads;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod scrapes' own series, and their failures logged once per target and reason when they start (and once when
 * the target recovers), not on every scrape while they last. It also hears what re-reading {@code scrape.tls.caFile}
 * found: a change at INFO, a bundle that changed but cannot be read counted as
 * {@code vedetta_errors_total{stage="scrape",reason="secret"}} and logged once until it reads again (the scrapes go on
 * trusting what was read before, so no scrape fails for it).
 */
final class ScrapeMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeMetrics.class);

    private final Map<String, Counter> failures = new HashMap<>();
    private final Counter samples;
    private final Counter duplicates;
    private final Counter annotationProblems;
    private final Counter secretErrors;
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
        secretErrors = Counter.builder(SourceMetrics.ERRORS).description(SourceMetrics.ERRORS_HELP)
                .tag("stage", "scrape").tag("reason", "secret").register(registry);
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

    /** What re-reading {@code scrape.tls.caFile} found (a failure counted as a {@code secret} error). */
    Rereads caRereads() {
        return new LoggedRereads(LOG, "", "new connections to scraped pods use it", setting -> { },
                setting -> secretErrors.increment());
    }
}

package io.vedetta.logs.enrich;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The enrich stage's counters, shared by every file. Prometheus names get {@code _total}:
 * {@code vedetta.log.unenriched} is exposed as {@code vedetta_log_unenriched_total}.
 */
final class EnrichMetrics {

    final Counter unenriched;
    final Counter podFound;
    final Counter podMissing;
    final Counter keyCollisions;

    EnrichMetrics(MeterRegistry registry) {
        unenriched = Counter.builder("vedetta.log.unenriched")
                .description("Records shipped without pod metadata (only what the file name gives)")
                .register(registry);
        podFound = lookups(registry, "found");
        podMissing = lookups(registry, "missing");
        keyCollisions = Counter.builder("vedetta.log.key.collisions")
                .description("Label or annotation keys left out because de-dotting made them equal to another key")
                .register(registry);
    }

    private static Counter lookups(MeterRegistry registry, String result) {
        return Counter.builder("vedetta.log.pod.lookups")
                .description("Pod metadata lookups of log files (once per file, retried while missing)")
                .tag("result", result).register(registry);
    }
}

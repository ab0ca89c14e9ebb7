package io.vedetta.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure events of the metrics stage: each one increments {@code vedetta_errors_total{stage="metrics",reason}}
 * and is logged once with its cause when it starts, not on every scrape while it lasts. A source failure
 * ends when the source recovers; skipped data (a bad line, a malformed entry) is logged the first time only,
 * because the same bad data usually comes back on every scrape.
 */
public final class MetricsErrors {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsErrors.class);

    private final MeterRegistry registry;
    private final Set<String> ongoing = ConcurrentHashMap.newKeySet();
    private final Set<String> skipsLogged = ConcurrentHashMap.newKeySet();

    public MetricsErrors(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts one failed collection of {@code source}; logs it unless this reason is already ongoing for it. */
    public void failed(String source, String reason, String detail, Throwable cause) {
        count(reason, 1);
        if (ongoing.add(source + '\0' + reason)) {
            if (cause == null) {
                LOG.warn("metric source {} failed: {} ({})", source, detail, reason);
            } else {
                LOG.warn("metric source {} failed: {} ({})", source, detail, reason, cause);
            }
        }
    }

    /** Counts {@code count} items of {@code source} skipped for {@code reason}; logs the first such event. */
    public void skipped(String source, String reason, int count, String example) {
        if (count <= 0) {
            return;
        }
        count(reason, count);
        if (skipsLogged.add(source + '\0' + reason)) {
            LOG.warn("metric source {}: skipped {} item(s) ({}), e.g. {}; later occurrences are only counted",
                    source, count, reason, example);
        }
    }

    private void count(String reason, int amount) {
        Counter.builder(SourceMetrics.ERRORS)
                .description(SourceMetrics.ERRORS_HELP)
                .tag("stage", "metrics")
                .tag("reason", reason)
                .register(registry)
                .increment(amount);
    }

    /** Marks the source healthy again, so its next failure is logged; logs the recovery if it had failed. */
    public void recovered(String source) {
        if (ongoing.removeIf(key -> key.startsWith(source + '\0'))) {
            LOG.info("metric source {} recovered", source);
        }
    }
}

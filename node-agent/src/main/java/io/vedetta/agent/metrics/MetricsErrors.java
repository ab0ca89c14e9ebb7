package io.vedetta.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
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

    private final Map<ErrorReason, Counter> counters = new EnumMap<>(ErrorReason.class);
    private final Set<String> ongoing = ConcurrentHashMap.newKeySet();
    private final Set<String> skipsLogged = ConcurrentHashMap.newKeySet();

    /** Registers every reason's series at 0. */
    public MetricsErrors(MeterRegistry registry) {
        for (ErrorReason reason : ErrorReason.values()) {
            counters.put(reason, Counter.builder(SourceMetrics.ERRORS)
                    .description(SourceMetrics.ERRORS_HELP)
                    .tag("stage", "metrics")
                    .tag("reason", reason.label())
                    .register(registry));
        }
    }

    /**
     * Counts one failed collection of {@code source}; logs it unless this reason is already ongoing for it. A
     * classified failure (a cut response, a refused connection, a body that does not parse) is one line whose
     * {@code detail} says what happened, with the stack trace of {@code cause} at debug only; an unclassified one
     * ({@link ErrorReason#COLLECT_FAILED}, likely a defect) carries its stack trace.
     */
    public void failed(String source, ErrorReason reason, String detail, Throwable cause) {
        count(reason, 1);
        if (ongoing.add(source + '\0' + reason)) {
            if (cause != null && reason == ErrorReason.COLLECT_FAILED) {
                LOG.warn("metric source {} failed: {} ({})", source, detail, reason.label(), cause);
            } else {
                LOG.warn("metric source {} failed: {} ({})", source, detail, reason.label());
                if (cause != null) {
                    LOG.debug("metric source {} failed ({}); the cause in detail", source, reason.label(), cause);
                }
            }
        }
    }

    /** Counts {@code count} items of {@code source} skipped for {@code reason}; logs the first such event. */
    public void skipped(String source, ErrorReason reason, int count, String example) {
        if (count <= 0) {
            return;
        }
        count(reason, count);
        if (skipsLogged.add(source + '\0' + reason)) {
            LOG.warn("metric source {}: skipped {} item(s) ({}), e.g. {}; later occurrences are only counted",
                    source, count, reason.label(), example);
        }
    }

    private void count(ErrorReason reason, int amount) {
        counters.get(reason).increment(amount);
    }

    /** Marks the source healthy again, so its next failure is logged; logs the recovery if it had failed. */
    public void recovered(String source) {
        if (ongoing.removeIf(key -> key.startsWith(source + '\0'))) {
            LOG.info("metric source {} recovered", source);
        }
    }
}

package io.vedetta.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Counts a collection failure under one tag and logs it with its cause: at WARN the first time for each tag
 * value, at DEBUG afterwards, so a file that stays unreadable does not flood the log every scrape.
 */
public final class FailureCounter {

    private final MeterRegistry registry;
    private final String meterName;
    private final String description;
    private final String tagKey;
    private final Logger log;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** {@code meterName} is a Micrometer name, e.g. {@code vedetta.cgroup.dropped} for {@code vedetta_cgroup_dropped_total}. */
    public FailureCounter(MeterRegistry registry, String meterName, String description, String tagKey, Logger log) {
        this.registry = registry;
        this.meterName = meterName;
        this.description = description;
        this.tagKey = tagKey;
        this.log = log;
    }

    /** Counts one failure of {@code subject} (a file, a mount point, a cgroup) under {@code tagValue}. */
    public void record(String tagValue, String subject, String cause) {
        counter(tagValue).increment();
        if (warned.add(tagValue)) {
            log.warn("{} {}: {} (further failures of this kind are logged at debug)", tagValue, subject, cause);
        } else {
            log.debug("{} {}: {}", tagValue, subject, cause);
        }
    }

    /** Registers the counter for {@code tagValue} at zero, so rates work before the first failure. */
    public void register(String tagValue) {
        counter(tagValue);
    }

    private Counter counter(String tagValue) {
        return Counter.builder(meterName).description(description).tag(tagKey, tagValue).register(registry);
    }
}

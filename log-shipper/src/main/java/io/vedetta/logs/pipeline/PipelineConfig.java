package io.vedetta.logs.pipeline;

import io.vedetta.logs.enrich.EnrichConfig;
import io.vedetta.logs.parse.ParseConfig;
import io.vedetta.logs.settings.InvalidSettingException;
import io.vedetta.logs.tail.TailConfig;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the whole log pipeline: each stage's own record, plus how records are batched towards
 * the sink and how long a file waits for its pod's metadata.
 *
 * @param batchRecords  records per batch handed to the sink ({@code logs.batch.records})
 * @param batchLinger   longest time a record waits for its batch to fill ({@code logs.batch.linger})
 * @param maxInFlight   batches handed to the sink and not yet accepted (the log buffer takes a batch as its own sink
 *                      frees a slot, or at once while that sink fails or stalls); when reached, reading pauses
 * @param podWait       how long a new file whose pod is not in the cache yet is held before shipping un-enriched
 * @param queueLines    lines read ahead of the parse stage; when full, the tailer pauses
 * @param includeNamespaces when not empty, only these namespaces' logs are shipped ({@code logs.namespaces.include})
 * @param excludeNamespaces namespaces whose logs are never shipped ({@code logs.namespaces.exclude})
 */
public record PipelineConfig(
        TailConfig tail,
        ParseConfig parse,
        EnrichConfig enrich,
        int batchRecords,
        Duration batchLinger,
        int maxInFlight,
        Duration podWait,
        int queueLines,
        Set<String> includeNamespaces,
        Set<String> excludeNamespaces) {

    public PipelineConfig {
        includeNamespaces = Set.copyOf(includeNamespaces);
        excludeNamespaces = Set.copyOf(excludeNamespaces);
        if (batchRecords < 1) {
            throw new InvalidSettingException("batch.records", "must be at least 1, got " + batchRecords);
        }
        InvalidSettingException.requirePositive("batch.linger", batchLinger);
        if (maxInFlight < 1) {
            throw new InvalidSettingException("batch.maxInFlight", "must be at least 1, got " + maxInFlight);
        }
        if (podWait.isNegative()) {
            throw new InvalidSettingException("podWait", "must not be negative, got " + podWait);
        }
        if (queueLines < 1) {
            throw new InvalidSettingException("queueLines", "must be at least 1, got " + queueLines);
        }
    }

    /** Whether logs of {@code namespace} are shipped at all; an unknown namespace (empty) is. */
    public boolean ships(String namespace) {
        if (namespace.isEmpty()) {
            return true;
        }
        return (includeNamespaces.isEmpty() || includeNamespaces.contains(namespace))
                && !excludeNamespaces.contains(namespace);
    }
}

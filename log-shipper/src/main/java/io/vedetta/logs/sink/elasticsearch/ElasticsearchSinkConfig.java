package io.vedetta.logs.sink.elasticsearch;

import io.vedetta.logs.route.IndexRoutes;
import io.vedetta.logs.settings.InvalidSettingException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the Elasticsearch sink ({@code elasticsearch.*}). Secrets are not held here, only the files
 * that hold them, so this record can be printed.
 *
 * @param urls             nodes, used round-robin with failover
 * @param username         basic auth user; the password is read from {@code passwordFile}
 * @param apiKeyFile       file holding an API key (the base64 {@code id:key} form Elasticsearch returns as "encoded")
 * @param caFile           PEM file of the CA(s) that sign the nodes' certificates; the JDK's trust store otherwise
 * @param verifyTls        verify the nodes' certificates and host names
 * @param routes           data streams or daily indices, and their names
 * @param jsonField        the documents' parsed-JSON field, mapped as {@code flattened}
 * @param messageField     the documents' message field, mapped as text: {@code log} (fluentd's layout), or
 *     {@code message} (ECS', where {@code log} is an object: {@code log.file.path})
 * @param bulkMaxBytes     largest {@code _bulk} body (uncompressed); a batch is cut into requests of at most this
 * @param bulkMaxRecords   most documents in one {@code _bulk} request
 * @param maxInFlight      most bulk requests in flight; the adaptive limit moves between 1 and this
 * @param gzip             compress request bodies
 * @param retryInitial     first backoff of a failed request or item; doubles up to {@code retryMax}, jittered
 * @param retryMax         longest backoff
 * @param connectTimeout   TCP connect timeout
 * @param requestTimeout   socket timeout of one request
 * @param installTemplate  install the index template (and ILM policy where available) at startup
 * @param templateName     name of the index template and ILM policy
 * @param deadLetterPrefix daily dead-letter indices are {@code <prefix>-YYYY.MM.DD}
 * @param deadLetterFile   where dead letters go when the dead-letter index cannot take them
 * @param deadLetterFileMaxBytes the dead-letter file's bound; dead letters beyond it are dropped and counted
 */
public record ElasticsearchSinkConfig(
        List<URI> urls,
        Optional<String> username,
        Optional<Path> passwordFile,
        Optional<Path> apiKeyFile,
        Optional<Path> caFile,
        boolean verifyTls,
        IndexRoutes routes,
        String jsonField,
        String messageField,
        long bulkMaxBytes,
        int bulkMaxRecords,
        int maxInFlight,
        boolean gzip,
        Duration retryInitial,
        Duration retryMax,
        Duration connectTimeout,
        Duration requestTimeout,
        boolean installTemplate,
        String templateName,
        String deadLetterPrefix,
        Path deadLetterFile,
        long deadLetterFileMaxBytes) {

    public static final long DEFAULT_DEAD_LETTER_FILE_MAX_BYTES = 100L << 20;

    public ElasticsearchSinkConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new InvalidSettingException("urls", "must name at least one node");
        }
        if (username.isPresent() != passwordFile.isPresent()) {
            throw new InvalidSettingException("username", "and passwordFile go together");
        }
        if (username.isPresent() && apiKeyFile.isPresent()) {
            throw new InvalidSettingException("apiKeyFile", "excludes username: choose one");
        }
        if (bulkMaxBytes < 1024) {
            throw new InvalidSettingException("bulk.maxBytes", "must be at least 1KiB, got " + bulkMaxBytes);
        }
        if (bulkMaxRecords < 1) {
            throw new InvalidSettingException("bulk.maxRecords", "must be at least 1, got "
                    + bulkMaxRecords);
        }
        if (maxInFlight < 1) {
            throw new InvalidSettingException("maxInFlight", "must be at least 1, got " + maxInFlight);
        }
        if (deadLetterFileMaxBytes < 0) {
            throw new InvalidSettingException("deadLetter.fileMaxBytes", "must not be negative, got "
                    + deadLetterFileMaxBytes);
        }
        if (retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
            throw new InvalidSettingException("retry.max", "must be at least retry.initial,"
                    + " both positive");
        }
    }

    /** These settings with other routes. */
    public ElasticsearchSinkConfig withRoutes(IndexRoutes other) {
        return new ElasticsearchSinkConfig(urls, username, passwordFile, apiKeyFile, caFile, verifyTls, other, jsonField,
                messageField, bulkMaxBytes, bulkMaxRecords, maxInFlight, gzip, retryInitial, retryMax, connectTimeout,
                requestTimeout, installTemplate, templateName, deadLetterPrefix, deadLetterFile, deadLetterFileMaxBytes);
    }

    /** Defaults for {@code urls}, writing dead letters under {@code stateDir}. */
    public static ElasticsearchSinkConfig defaults(List<URI> urls, Path stateDir) {
        return new ElasticsearchSinkConfig(urls, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), true, IndexRoutes.defaults(), "json", "log", 5L << 20, 2000, 4, false,
                Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(30), true,
                "vedetta-logs", "vedetta-deadletter", stateDir.resolve("deadletter.ndjson"),
                DEFAULT_DEAD_LETTER_FILE_MAX_BYTES);
    }
}

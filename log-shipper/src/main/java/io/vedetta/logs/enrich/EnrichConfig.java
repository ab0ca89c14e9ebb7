package io.vedetta.logs.enrich;

import io.vedetta.logs.settings.InvalidSettingException;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the enrich stage, read by the agent from the YAML section {@code logs}.
 *
 * @param fields            field names of the documents: fluentd (default) or ecs
 * @param labels            include the pod's labels
 * @param annotations       include the pod's annotations (off by default: they are large and can hold config)
 * @param deDot             replace '.' in label and annotation keys, so that {@code app} and
 *                          {@code app.kubernetes.io/name} do not collide as object and value in Elasticsearch
 * @param deDotSeparator    what replaces '.' when de-dotting
 * @param jsonField         top-level field that holds the fields of a JSON message ({@code logs.parseJson})
 * @param podMetadataRetry  how long a file whose pod was not found waits before looking it up again
 */
public record EnrichConfig(
        FieldStyle fields,
        boolean labels,
        boolean annotations,
        boolean deDot,
        String deDotSeparator,
        String jsonField,
        Duration podMetadataRetry) {

    /** Top-level names the documents use themselves, in either style. */
    private static final Set<String> RESERVED =
            Set.of("@timestamp", "log", "message", "stream", "docker", "kubernetes", "container", "tags");

    public EnrichConfig {
        if (fields == null) {
            throw new InvalidSettingException("fields", "must be fluentd or ecs");
        }
        if (deDotSeparator == null || deDotSeparator.isEmpty() || deDotSeparator.contains(".")) {
            throw new InvalidSettingException(
                    "deDotSeparator", "must be a non-empty string without '.', got \"" + deDotSeparator + "\"");
        }
        if (jsonField == null || jsonField.isEmpty() || jsonField.contains(".") || RESERVED.contains(jsonField)) {
            throw new InvalidSettingException("jsonField", "must be a non-empty field name without '.' and not "
                    + "one of " + RESERVED + ", got \"" + jsonField + "\"");
        }
        InvalidSettingException.requirePositive("podMetadataRetry", podMetadataRetry);
    }

    public static EnrichConfig defaults() {
        return new EnrichConfig(FieldStyle.FLUENTD, true, false, true, "_", "json", Duration.ofSeconds(5));
    }
}

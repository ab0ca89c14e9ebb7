package io.vedetta.logs.enrich;

/** Field names of the shipped documents. */
public enum FieldStyle {
    /**
     * What fluentd's kubernetes_metadata filter and Fluent Bit write, so existing dashboards and queries keep
     * working: {@code log}, {@code stream}, {@code docker.container_id}, {@code kubernetes.pod_name},
     * {@code kubernetes.namespace_name}, …
     */
    FLUENTD("log"),
    /**
     * Elastic Common Schema as Elastic Agent / Filebeat write it for Kubernetes: {@code message}, {@code stream},
     * {@code log.file.path}, {@code kubernetes.pod.name}, {@code kubernetes.namespace}, {@code container.id},
     * {@code container.runtime}, …
     */
    ECS("message");

    private final String messageField;

    FieldStyle(String messageField) {
        this.messageField = messageField;
    }

    /** The field that holds the line: {@code log} or {@code message}; the index template maps it as text. */
    public String messageField() {
        return messageField;
    }
}

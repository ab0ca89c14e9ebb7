package io.vedetta.logs.enrich;

/** Field names of the shipped documents. */
public enum FieldStyle {
    /**
     * What fluentd's kubernetes_metadata filter and Fluent Bit write, so existing dashboards and queries keep
     * working: {@code log}, {@code stream}, {@code kubernetes.pod_name}, {@code kubernetes.namespace_name}, …
     */
    FLUENTD,
    /**
     * Elastic Common Schema as Elastic Agent / Filebeat write it for Kubernetes: {@code message}, {@code stream},
     * {@code kubernetes.pod.name}, {@code kubernetes.namespace}, {@code container.id}, …
     */
    ECS
}

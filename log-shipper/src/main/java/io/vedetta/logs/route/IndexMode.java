package io.vedetta.logs.route;

/** Where records are written in Elasticsearch. */
public enum IndexMode {
    /** One data stream per route, {@code logs-kubernetes.container-<namespace>}, written with {@code create}. */
    DATA_STREAM,
    /** fluentd's logstash format: one index per UTC day, {@code logstash-YYYY.MM.DD}. */
    DAILY
}

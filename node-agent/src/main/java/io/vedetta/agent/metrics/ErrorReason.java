package io.vedetta.agent.metrics;

import java.util.Locale;

/**
 * The {@code reason} label of {@code vedetta_errors_total{stage="metrics"}}: a closed set, so every series exists
 * from the start at 0 and {@code rate()} sees the first failure too.
 */
public enum ErrorReason {
    /** The source gave no result within its timeout. */
    TIMEOUT,
    /** The source failed in a way it did not classify. */
    COLLECT_FAILED,
    TOKEN,
    PARSE,
    READ,
    INTERRUPTED,
    REQUEST_TIMEOUT,
    TLS,
    CONNECT,
    UNAUTHORIZED,
    HTTP_STATUS,
    /** A CA bundle or certificate file changed and could not be read again; the last good one stays in use. */
    SECRET,
    /** Series skipped: two became one after the label filters. */
    DUPLICATE_SERIES_AFTER_FILTER,
    /** Entries skipped: malformed in {@code /stats/summary}. */
    MALFORMED_ENTRY,
    /** Lines skipped: not Prometheus text. */
    UNPARSABLE_LINE,
    /** Series skipped: another source or the agent already exposes them. */
    DUPLICATE_SERIES,
    /** Families skipped: their name is already exposed with another type. */
    CONFLICTING_FAMILY,
    /** Families skipped: a kubelet endpoint served a name outside those its source declares. */
    UNDECLARED_FAMILY;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}

package io.vedetta.agent.metrics;

/**
 * A source failure with a short machine-readable reason ({@code http_status}, {@code tls}, {@code token}...)
 * that becomes the {@code reason} label of {@code vedetta_errors_total}; the message says what to fix.
 */
public class SourceException extends Exception {

    private final String reason;

    public SourceException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public SourceException(String reason, String message) {
        this(reason, message, null);
    }

    public String reason() {
        return reason;
    }
}

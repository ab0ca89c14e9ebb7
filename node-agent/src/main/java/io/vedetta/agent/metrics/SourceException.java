package io.vedetta.agent.metrics;

/**
 * A source failure with its {@link ErrorReason}, which becomes the {@code reason} label of {@code vedetta_errors_total}; the message says what to fix.
 */
public class SourceException extends Exception {

    private final ErrorReason reason;

    public SourceException(ErrorReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public SourceException(ErrorReason reason, String message) {
        this(reason, message, null);
    }

    public ErrorReason reason() {
        return reason;
    }
}

package io.vedetta.testkit.pod;

/**
 * The pod or its container cannot start, for a reason the kubelet would report the same way (a host path of the
 * wrong type, a user {@code runAsNonRoot} forbids, a namespace this machine cannot make); the message says why.
 */
public final class PodStartException extends IllegalStateException {

    PodStartException(String message) {
        super(message);
    }

    PodStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.vedetta.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Counts failed lists and watches in {@code vedetta_kube_watch_errors_total{reason}} with a small, fixed set of
 * reasons (an HTTP status or the kind of network failure), and describes a failure in words for the log and
 * for the readiness report.
 */
final class WatchErrors {

    private final MeterRegistry registry;

    WatchErrors(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts the failure and returns its reason label. */
    String count(Throwable failure) {
        String reason = reason(failure);
        Counter.builder(KubeMetrics.snapshotName(KubeMetrics.WATCH_ERRORS))
                .description(KubeMetrics.WATCH_ERRORS.help())
                .tag("reason", reason)
                .register(registry)
                .increment();
        return reason;
    }

    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return "http_" + k.getCode();
            }
        }
        Throwable root = root(failure);
        if (root instanceof ConnectException) {
            return "connect";
        }
        if (root instanceof UnknownHostException) {
            return "dns";
        }
        if (root instanceof SSLException) {
            return "tls";
        }
        if (root instanceof HttpTimeoutException || root instanceof TimeoutException) {
            return "timeout";
        }
        if (root instanceof IOException) {
            return "io";
        }
        return "other";
    }

    /** The deepest cause in words, e.g. "connection refused" or "HTTP 403 Forbidden: pods is forbidden …". */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                String message = k.getStatus() != null && k.getStatus().getMessage() != null
                        ? k.getStatus().getMessage() : String.valueOf(k.getMessage());
                return "HTTP " + k.getCode() + ": " + message;
            }
        }
        Throwable root = root(failure);
        String message = root.getMessage();
        if (root instanceof ConnectException && (message == null || message.isBlank())) {
            return "connection refused";
        }
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}

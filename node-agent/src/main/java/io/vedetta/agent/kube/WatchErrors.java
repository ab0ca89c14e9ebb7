package io.vedetta.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Counts failed lists and watches in {@code vedetta_kube_watch_errors_total{reason}} with a small, fixed set of
 * reasons (an HTTP status or the kind of network failure), and describes a failure in words for the log and
 * for the readiness report.
 */
public final class WatchErrors {

    private final MeterRegistry registry;

    /** Reasons that exist from the start at 0, so rate() over them works before the first failure. */
    private static final List<String> NETWORK_REASONS = List.of("connect", "dns", "tls", "timeout", "io", "other");

    public WatchErrors(MeterRegistry registry) {
        this.registry = registry;
        NETWORK_REASONS.forEach(this::counter);
    }

    /** Counts the failure and returns its reason label. */
    public String count(Throwable failure) {
        String reason = reason(failure);
        counter(reason).increment();
        return reason;
    }

    private Counter counter(String reason) {
        return Counter.builder(KubeMetrics.snapshotName(KubeMetrics.WATCH_ERRORS))
                .description(KubeMetrics.WATCH_ERRORS.help())
                .tag("reason", reason)
                .register(registry);
    }

    public static String reason(Throwable failure) {
        Optional<KubernetesClientException> http = httpFailure(failure);
        if (http.isPresent()) {
            return "http_" + http.get().getCode();
        }
        if (find(failure, ConnectException.class).isPresent()) {
            return "connect";
        }
        if (find(failure, UnknownHostException.class).isPresent()) {
            return "dns";
        }
        if (find(failure, SSLException.class).isPresent()) {
            return "tls";
        }
        if (find(failure, HttpTimeoutException.class).isPresent() || find(failure, TimeoutException.class).isPresent()) {
            return "timeout";
        }
        if (find(failure, IOException.class).isPresent()) {
            return "io";
        }
        return "other";
    }

    /** The cause in words, e.g. "connection refused" or "HTTP 403: pods is forbidden: …". */
    public static String describe(Throwable failure) {
        Optional<KubernetesClientException> http = httpFailure(failure);
        if (http.isPresent()) {
            KubernetesClientException k = http.get();
            String message = k.getStatus() != null && k.getStatus().getMessage() != null
                    ? k.getStatus().getMessage() : String.valueOf(k.getMessage());
            return "HTTP " + k.getCode() + ": " + message;
        }
        Optional<ConnectException> refused = find(failure, ConnectException.class);
        if (refused.isPresent()) {
            // The JDK client's ConnectException often has no message, only a ClosedChannelException cause.
            String message = refused.get().getMessage();
            return message == null || message.isBlank() ? "connection refused" : message;
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    private static Optional<KubernetesClientException> httpFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}

package io.vedetta.agent.lifecycle;

import io.vedetta.agent.Agent;
import java.time.Duration;
import java.util.Optional;

/**
 * One independently started piece of the agent (discovery, HTTP server, log pipeline, metric sources).
 * The {@link Agent} starts parts in order and stops them in reverse; {@code /readyz} asks each one.
 */
public interface Part {

    /** Short, stable name used in logs and in the readiness report, e.g. {@code pod-discovery}. */
    String name();

    /** Starts the part. Must not block until the part is ready: readiness is reported by {@link #notReadyReason()}. */
    void start() throws Exception;

    /** Stops the part, flushing what can be flushed within {@code grace}. Never throws. */
    void stop(Duration grace);

    /** Empty when ready; otherwise why not, in words an operator can act on. */
    default Optional<String> notReadyReason() {
        return Optional.empty();
    }
}

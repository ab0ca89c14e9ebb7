package io.vedetta.logs.tail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * Counts every failure in {@code vedetta_log_read_errors_total{reason}} and logs it once per reason and subject
 * until that subject works again, so a file that stays unreadable does not flood the log.
 */
final class FailureLog {

    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);

    private final TailMetrics metrics;
    private final Set<String> logged = new HashSet<>();

    FailureLog(TailMetrics metrics) {
        this.metrics = metrics;
    }

    /** reason: one of {@link TailMetrics#READ_ERROR_REASONS}. */
    void failed(String reason, String subject, Exception e) {
        metrics.error(reason);
        if (logged.add(reason + " " + subject)) {
            if (e instanceof RuntimeException) {
                LOG.error("log tailer: {} failed for {}", reason, subject, e);
            } else {
                LOG.warn("log tailer: {} failed for {}: {}", reason, subject, e.toString());
            }
        }
    }

    void succeeded(String reason, String subject) {
        logged.remove(reason + " " + subject);
    }
}

package io.vedetta.logs.tail;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files the tailer will not read, counted in {@code vedetta_log_files_refused_total{reason}} and logged once per
 * file and reason: the rescans every few seconds find the same files again, and neither the count nor the log
 * should grow with them. The memory is bounded; past it, refusals are counted and logged again.
 */
final class Refusals {

    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);
    private static final int MAX_REMEMBERED = 10_000;

    private final TailMetrics metrics;
    private final Set<String> seen = new HashSet<>();

    Refusals(TailMetrics metrics) {
        this.metrics = metrics;
    }

    /** reason: one of {@link TailMetrics#REFUSAL_REASONS}. */
    synchronized void refuse(String reason, Path path, Path real, String why) {
        if (seen.size() >= MAX_REMEMBERED) {
            seen.clear();
        }
        if (seen.add(reason + " " + path + " " + real)) {
            metrics.refused(reason);
            LOG.warn("log tailer: not reading {}{}: {}", path, path.equals(real) ? "" : " (" + real + ")", why);
        }
    }
}

package io.vedetta.logs.tail;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The tailer's self-metrics; Micrometer names map to Prometheus {@code vedetta_log_*} series. */
final class TailMetrics {

    static final String FILES_WATCHED = "vedetta.log.files.watched";
    static final String BYTES_READ = "vedetta.log.bytes.read";
    static final String LINES_READ = "vedetta.log.lines.read";
    static final String LINES_TRUNCATED = "vedetta.log.lines.truncated";
    static final String FILES_ROTATED = "vedetta.log.files.rotated";
    static final String FILES_TRUNCATED = "vedetta.log.files.truncated";
    static final String POSITIONS_COMMITTED = "vedetta.log.positions.committed";
    static final String READ_ERRORS = "vedetta.log.read.errors";
    static final String PAUSED = "vedetta.log.paused";
    static final String LAG = "vedetta.log.lag";
    static final String FILE_LAG = "vedetta.log.file.lag";
    /** Every reason a read error is counted under; each series exists from the start, at 0. */
    static final List<String> READ_ERROR_REASONS =
            List.of("open", "read", "state_load", "state_write", "watch", "internal");

    final AtomicInteger filesWatched = new AtomicInteger();
    final AtomicInteger paused = new AtomicInteger();
    final AtomicLong lagBytes = new AtomicLong();
    final MultiGauge fileLag;
    final Counter bytesRead;
    final Counter linesRead;
    final Counter linesTruncated;
    final Counter rotated;
    final Counter truncated;
    final Counter positionsCommitted;
    private final MeterRegistry registry;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    TailMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(FILES_WATCHED, filesWatched, AtomicInteger::get)
                .description("Files currently open for tailing").register(registry);
        Gauge.builder(PAUSED, paused, AtomicInteger::get)
                .description("1 while reading is paused because the next stage is full").register(registry);
        Gauge.builder(LAG, lagBytes, AtomicLong::get).baseUnit("bytes")
                .description("Bytes written to the tailed files and not yet acknowledged by the sink, summed")
                .register(registry);
        fileLag = MultiGauge.builder(FILE_LAG).baseUnit("bytes")
                .description("Per file: its size minus its acknowledged position").register(registry);
        bytesRead = Counter.builder(BYTES_READ).description("Bytes read from log files").register(registry);
        linesRead = Counter.builder(LINES_READ).description("Lines read from log files").register(registry);
        linesTruncated = Counter.builder(LINES_TRUNCATED)
                .description("Lines longer than logs.maxLineBytes that were truncated")
                .register(registry);
        rotated = Counter.builder(FILES_ROTATED)
                .description("Rotations seen: by rename, or by copytruncate with the copy found").register(registry);
        truncated = Counter.builder(FILES_TRUNCATED)
                .description("Truncations or inode reuses detected; reading restarted at offset 0").register(registry);
        positionsCommitted = Counter.builder(POSITIONS_COMMITTED)
                .description("Advances of a file's acknowledged position").register(registry);
        READ_ERROR_REASONS.forEach(this::errorCounter);
    }

    /** Publishes each open file's lag (size minus acknowledged position) and their sum. */
    void lag(Map<String, Long> byFile) {
        lagBytes.set(byFile.values().stream().mapToLong(Long::longValue).sum());
        fileLag.register(byFile.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("file", e.getKey()), e.getValue()))
                .toList(), true);
    }

    /** reason: one of {@link #READ_ERROR_REASONS}. */
    void error(String reason) {
        errorCounter(reason).increment();
    }

    private Counter errorCounter(String reason) {
        return errors.computeIfAbsent(reason, r -> Counter.builder(READ_ERRORS).tag("reason", r)
                .description("Failures while discovering, reading or checkpointing log files").register(registry));
    }
}

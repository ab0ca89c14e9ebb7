package io.vedetta.logs.buffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.vedetta.bytes.JsonBytes;
import io.vedetta.bytes.Timestamps;
import io.vedetta.logs.record.DeadLetterFile;
import io.vedetta.logs.record.RoutingKey;
import io.vedetta.logs.record.SinkRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the buffer cannot frame for a spill segment ({@link SegmentFormat#problem}: an id or route too long for its
 * field, or text UTF-8 cannot carry). Rather than hold them in memory only, or corrupt a segment, the buffer keeps
 * each as one JSON line in {@code <stateDir>/buffer/dead-letters.ndjson} with the reason, the id, the route and the
 * document, synced before the record is acknowledged. Each is counted by reason and each reason logged once. The file
 * takes at most {@value #MAX_BYTES} bytes ({@link DeadLetterFile}); a record it cannot take (full, or the write
 * failed) is dropped, counted and logged once, so that a flood of such records neither fills the disk nor holds back
 * its file's position.
 * Thread-safe.
 */
final class SpillDeadLetters {

    static final String FILE_NAME = "dead-letters.ndjson";
    static final long MAX_BYTES = 16L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(SpillDeadLetters.class);
    /** Escaped to ASCII: a lone surrogate, one of the reasons a record is here, then stays valid JSON. */
    private static final JsonFactory JSON = new JsonFactoryBuilder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final DeadLetterFile file;
    private final BufferMetrics metrics;
    private final Clock clock;
    private final Set<String> logged = new HashSet<>();

    SpillDeadLetters(Path dir, BufferMetrics metrics, Clock clock) {
        this.file = new DeadLetterFile(dir.resolve(FILE_NAME), MAX_BYTES);
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Keeps {@code record}, serialised as {@code json}, with the reason it cannot be framed; then acknowledges it. */
    synchronized void keep(SinkRecord record, String id, byte[] json, SegmentFormat.Problem problem) {
        try {
            if (file.append(List.of(line(id, record.document().routingKey(), json, problem))) == 0) {
                dropped(id, "the dead-letter file " + file.path() + " holds " + MAX_BYTES + " bytes already", "full");
            } else {
                metrics.deadLettered(problem.reason()).increment();
                if (logged.add(problem.reason())) {
                    LOG.error("log buffer keeps record {} in {} instead of spilling it: {} (logged once per reason;"
                            + " vedetta_log_buffer_dead_lettered_total counts them)", id, file.path(),
                            problem.detail());
                }
            }
        } catch (IOException e) {
            metrics.writeErrors.increment();
            dropped(id, "writing " + file.path() + " failed: " + e, "write");
        }
        record.ack().acknowledge();
    }

    private void dropped(String id, String why, String kind) {
        metrics.dropped.increment();
        if (logged.add("dropped " + kind)) {
            LOG.error("log buffer drops record {}, which cannot be spilled or kept as a dead letter: {} (logged once;"
                    + " vedetta_log_buffer_dropped_total counts them)", id, why);
        }
    }

    private String line(String id, RoutingKey routing, byte[] json, SegmentFormat.Problem problem) {
        JsonBytes out = new JsonBytes(json.length + 256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@timestamp", Timestamps.formatUtc(clock.millis() * 1_000_000));
            g.writeStringField("record_id", id);
            g.writeStringField("reason", problem.reason());
            g.writeStringField("error", problem.detail());
            g.writeStringField("namespace", routing.namespace());
            g.writeStringField("annotation", routing.annotation());
            g.writeNumberField("epoch_nanos", routing.epochNanos());
            g.writeStringField("document", new String(json, StandardCharsets.UTF_8));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII);
    }
}

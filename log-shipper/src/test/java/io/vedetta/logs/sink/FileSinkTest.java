package io.vedetta.logs.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.testing.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSinkTest {

    @TempDir
    Path dir;

    @Test
    void writesNdjsonAndAcknowledgesOnlyWhatIsFlushed() throws Exception {
        Path out = dir.resolve("out.ndjson");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> seenAtAck = new ArrayList<>();
        try (FileSink sink = FileSink.appendingTo(out, registry)) {
            List<SinkRecord> batch = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                Document doc = g -> {
                    g.writeStartObject();
                    g.writeStringField("message", "line " + n + " with \"quotes\"\nand a newline");
                    g.writeEndObject();
                };
                batch.add(new SinkRecord(RecordId.of("id-" + i), doc,
                        () -> seenAtAck.add(lastLine(out))));
            }
            batch.add(new SinkRecord(RecordId.of("raw"), Records.json("{\"already\":\"json\"}"),
                    () -> seenAtAck.add(lastLine(out))));

            sink.send(batch).get();
        }

        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size());
        ObjectMapper json = new ObjectMapper();
        assertEquals("line 1 with \"quotes\"\nand a newline", json.readTree(lines.get(1)).path("message").asText());
        assertEquals("json", json.readTree(lines.get(3)).path("already").asText());
        assertEquals(List.of(lines.get(3), lines.get(3), lines.get(3), lines.get(3)), seenAtAck,
                "each acknowledgement came after the whole batch was on disk");
        assertEquals(4.0, registry.get(FileSink.WRITTEN).counter().count());
    }

    @Test
    void leavesRecordsUnacknowledgedWhenTheWriteFails() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger acked = new AtomicInteger();
        try (FileSink sink = FileSink.appendingTo(Path.of("/dev/full"), registry)) {
            String big = "x".repeat(20_000);
            CompletableFuture<Void> result = sink.send(List.of(new SinkRecord(RecordId.of("a"), g -> {
                g.writeStartObject();
                g.writeStringField("message", big);
                g.writeEndObject();
            }, acked::incrementAndGet)));

            ExecutionException e = assertThrows(ExecutionException.class, result::get);
            assertTrue(e.getCause().getMessage().contains("space"), e.getCause().toString());
        }
        assertEquals(0, acked.get());
        assertTrue(registry.get(FileSink.ERRORS).counter().count() >= 1.0);
    }

    @Test
    void dropsAndCountsADocumentThatCannotBeWrittenAndKeepsTheRest() throws Exception {
        Path out = dir.resolve("out.ndjson");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger acked = new AtomicInteger();
        try (FileSink sink = FileSink.appendingTo(out, registry)) {
            Document broken = g -> {
                g.writeStartObject();
                g.writeStringField("half", "written");
                throw new IllegalStateException("enricher bug");
            };
            sink.send(List.of(
                    new SinkRecord(RecordId.of("1"), Records.json("{\"n\":1}"), acked::incrementAndGet),
                    new SinkRecord(RecordId.of("2"), broken, acked::incrementAndGet),
                    new SinkRecord(RecordId.of("3"), Records.json("{\"n\":3}"), acked::incrementAndGet)))
                    .get();
        }

        assertEquals(List.of("{\"n\":1}", "{\"n\":3}"), Files.readAllLines(out));
        assertEquals(3, acked.get(), "the dropped record is acknowledged too, or its file position would stall");
        assertEquals(1.0, registry.get(FileSink.DROPPED).counter().count());
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

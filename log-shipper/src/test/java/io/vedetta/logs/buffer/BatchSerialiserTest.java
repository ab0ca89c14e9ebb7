package io.vedetta.logs.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.bytes.JsonBytes;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.RoutingKey;
import io.vedetta.logs.record.SinkRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buffer's serialiser keeps each document as the bytes a sink would write: its own bytes when it writes them,
 * as they are when already serialised, else through a generator; a broken document is left out and acknowledged.
 */
class BatchSerialiserTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> acked = new ArrayList<>();
    private BatchSerialiser serialiser;

    @BeforeEach
    void serialiser() {
        BufferMetrics metrics = new BufferMetrics(registry);
        serialiser = new BatchSerialiser(metrics, new SpillDeadLetters(dir, metrics, Clock.systemUTC()));
    }

    /** Writes its own bytes; its generator way fails, so a test sees which way was taken. */
    private record OwnBytes(String json) implements Document {
        @Override
        public boolean writeUtf8(JsonBytes out) {
            out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public void writeTo(JsonGenerator generator) {
            throw new AssertionError("a document that writes its own bytes is not given a generator");
        }
    }

    /** Only writes itself to a generator, a field at a time; {@code broken} fails half-way. */
    private record ThroughGenerator(String message, boolean broken) implements Document {
        @Override
        public void writeTo(JsonGenerator generator) throws IOException {
            generator.writeStartObject();
            generator.writeStringField("log", message);
            if (broken) {
                throw new IOException("cannot write the rest");
            }
            generator.writeEndObject();
        }
    }

    private SinkRecord record(String id, Document document) {
        return new SinkRecord(RecordId.of(id), document, () -> acked.add(id), 7L);
    }

    private static List<String> texts(SerialisedBatch batch) {
        return batch.records.stream().map(r -> new String(r.json(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void keepsEachDocumentAsTheBytesASinkWouldWriteWhicheverWayItIsWritten() {
        RoutingKey route = new RoutingKey("shop", "audit", 1L);
        SerialisedBatch batch = serialiser.serialise(List.of(
                record("a", new OwnBytes("{\"log\":\"caf\u00e9\"}")),
                record("b", new ThroughGenerator("quote \" and \u65e5", false)),
                record("c", Document.ofJson("{\"log\":\"stored\"}".getBytes(StandardCharsets.UTF_8), route)),
                record("d", new OwnBytes("{\"log\":\"after a generator\"}")),
                record("e", new ThroughGenerator("second through the generator", false))));

        assertEquals(List.of("{\"log\":\"caf\u00e9\"}", "{\"log\":\"quote \\\" and \u65e5\"}", "{\"log\":\"stored\"}",
                "{\"log\":\"after a generator\"}", "{\"log\":\"second through the generator\"}"), texts(batch));
        assertEquals(List.of("a", "b", "c", "d", "e"), batch.records.stream().map(StoredRecord::id).toList());
        assertEquals(route, batch.records.get(2).routing());
        assertEquals(RoutingKey.NONE, batch.records.get(0).routing());
        assertEquals(7L, batch.records.get(4).readNanos());
        assertEquals(5, batch.acks.size());
        assertEquals(List.of(), acked, "nothing acknowledged: the records are held, not delivered");
    }

    @Test
    void leavesOutAndAcknowledgesABrokenDocumentAndWritesTheRestWhole() {
        SerialisedBatch batch = serialiser.serialise(List.of(
                record("a", new ThroughGenerator("before", false)),
                record("b", new ThroughGenerator("broken", true)),
                record("c", new ThroughGenerator("after", false))));

        assertEquals(List.of("{\"log\":\"before\"}", "{\"log\":\"after\"}"), texts(batch));
        assertEquals(List.of("b"), acked, "the broken record must not hold back its file's position");
        assertEquals(1.0, registry.get(BufferMetrics.DROPPED).counter().count());
        assertEquals(batch.records.stream().mapToLong(StoredRecord::memoryBytes).sum(), batch.memoryBytes());
    }

    @Test
    void aRecordASpillSegmentCannotFrameIsKeptAsADeadLetterWithTheReasonAndAcknowledged() throws IOException {
        String longRoute = "r".repeat(SegmentFormat.MAX_FIELD_BYTES + 1);
        String longestRoute = "x".repeat(SegmentFormat.MAX_FIELD_BYTES);
        SerialisedBatch batch = serialiser.serialise(List.of(
                record("ok-1", document("first", new RoutingKey("shop", "", 1))),
                record("long-route", document("second", new RoutingKey("shop", longRoute, 2))),
                record("lone-surrogate", document("third", new RoutingKey("shop", "audit\ud800", 3))),
                record("i".repeat(SegmentFormat.MAX_FIELD_BYTES + 1), document("fourth", RoutingKey.NONE)),
                record("ok-2", document("fifth", new RoutingKey("shop", longestRoute, 5)))));

        assertEquals(List.of("ok-1", "ok-2"), batch.records.stream().map(StoredRecord::id).toList(),
                "what the buffer holds can be framed; a 65,535-byte route still can");
        assertEquals(List.of("long-route", "lone-surrogate", "i".repeat(SegmentFormat.MAX_FIELD_BYTES + 1)), acked,
                "kept as dead letters, so acknowledged");
        assertEquals(2.0, registry.get(BufferMetrics.DEAD_LETTERED).tag("reason", "frame_limit").counter().count());
        assertEquals(1.0, registry.get(BufferMetrics.DEAD_LETTERED).tag("reason", "invalid_text").counter().count());

        List<JsonNode> letters = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(SpillDeadLetters.FILE_NAME))) {
            letters.add(new ObjectMapper().readTree(line));
        }
        assertEquals(List.of("frame_limit", "invalid_text", "frame_limit"),
                letters.stream().map(l -> l.get("reason").asText()).toList());
        assertEquals(longRoute, letters.get(0).get("annotation").asText(), "the whole route, nothing cut");
        assertEquals("shop", letters.get(0).get("namespace").asText());
        assertEquals(2, letters.get(0).get("epoch_nanos").asLong());
        assertEquals("{\"log\":\"second\"}", letters.get(0).get("document").asText());
        assertEquals("audit\ud800", letters.get(1).get("annotation").asText(), "a lone surrogate kept as an escape");
        assertTrue(letters.get(1).get("error").asText().contains("unpaired surrogate"), letters.get(1).toString());
    }

    @Test
    void aDeadLetterTheFullFileCannotTakeIsDroppedAndCountedNotHeldBack() throws IOException {
        try (RandomAccessFile full = new RandomAccessFile(dir.resolve(SpillDeadLetters.FILE_NAME).toFile(), "rw")) {
            full.setLength(SpillDeadLetters.MAX_BYTES);
        }
        SerialisedBatch batch = serialiser.serialise(List.of(
                record("long-route", document("dropped", new RoutingKey("shop", "r".repeat(70_000), 1)))));

        assertEquals(0, batch.size());
        assertEquals(List.of("long-route"), acked, "acknowledged, or its file's position would stop for good");
        assertEquals(1.0, registry.get(BufferMetrics.DROPPED).counter().count());
        assertEquals(0.0, registry.get(BufferMetrics.DEAD_LETTERED).tag("reason", "frame_limit").counter().count());
        assertEquals(SpillDeadLetters.MAX_BYTES, Files.size(dir.resolve(SpillDeadLetters.FILE_NAME)), "not grown");
    }

    private static Document document(String message, RoutingKey routing) {
        return Document.ofJson(("{\"log\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8), routing);
    }
}

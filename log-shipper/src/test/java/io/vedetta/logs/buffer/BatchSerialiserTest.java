package io.vedetta.logs.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.bytes.JsonBytes;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.RoutingKey;
import io.vedetta.logs.record.SinkRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The buffer's serialiser keeps each document as the bytes a sink would write: its own bytes when it writes them,
 * as they are when already serialised, else through a generator; a broken document is left out and acknowledged.
 */
class BatchSerialiserTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BatchSerialiser serialiser = new BatchSerialiser(new BufferMetrics(registry));
    private final List<String> acked = new ArrayList<>();

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
}

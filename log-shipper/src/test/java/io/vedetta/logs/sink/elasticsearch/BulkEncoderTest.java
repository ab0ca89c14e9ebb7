package io.vedetta.logs.sink.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vedetta.bytes.JsonBytes;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.RoutingKey;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.route.IndexRouter;
import io.vedetta.logs.route.IndexRoutes;
import io.vedetta.logs.testing.Records;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkEncoderTest {

    private final BulkEncoder encoder = new BulkEncoder(new IndexRouter(IndexRoutes.defaults()));

    private static SinkRecord record(String id, String json) {
        return new SinkRecord(RecordId.of(id), Records.json(json), () -> { });
    }

    private static String body(BulkRequest request) {
        return new String(request.body(), request.offset(), request.length(), StandardCharsets.UTF_8);
    }

    @Test
    void writesOneCreateActionAndOneDocumentLinePerRecord() {
        List<BulkItem> items = encoder.encode(List.of(record("f1:0", "{\"log\":\"a\"}"), record("f1:9", "{\"log\":\"b\\n\"}")),
                new Delivery(2), 0, (r, e) -> { throw new AssertionError(e); });

        assertEquals("""
                {"create":{"_index":"logs-kubernetes.container-default","_id":"f1:0"}}
                {"log":"a"}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"f1:9"}}
                {"log":"b\\n"}
                """, body(new BulkRequest(items, 0)));
        assertEquals("{\"log\":\"a\"}", items.get(0).document());
    }

    @Test
    void idsOfLinesAreWrittenAsTheirText() {
        Document doc = Records.json("{}");
        List<SinkRecord> records = List.of(
                new SinkRecord(RecordId.ofLine("803-1f-9e3779b9-", 0, 0), doc, () -> { }),
                new SinkRecord(RecordId.ofLine("803-1f-9e3779b9-", 0x7fff_ffff_ffffL, 0x800), doc, () -> { }),
                new SinkRecord(RecordId.ofLine("a\"b-", 10, 0), doc, () -> { }));
        List<BulkItem> items = encoder.encode(records, new Delivery(3), 0, (r, e) -> { throw new AssertionError(e); });

        assertEquals("""
                {"create":{"_index":"logs-kubernetes.container-default","_id":"803-1f-9e3779b9-0"}}
                {}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"803-1f-9e3779b9-7fffffffffff+800"}}
                {}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"a\\"b-a"}}
                {}
                """, body(new BulkRequest(items, 0)));
        assertEquals("803-1f-9e3779b9-7fffffffffff+800", records.get(1).id().toString());
    }

    @Test
    void idsThatJsonMustEscapeAreEscapedInTheActionLine() {
        List<BulkItem> items = encoder.encode(List.of(record("a\"b\\c", "{}"), record("é\u0001", "{}"),
                record("1-2-3+4f", "{}")), new Delivery(3), 0, (r, e) -> { throw new AssertionError(e); });

        assertEquals("""
                {"create":{"_index":"logs-kubernetes.container-default","_id":"a\\"b\\\\c"}}
                {}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"é\\u0001"}}
                {}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"1-2-3+4f"}}
                {}
                """, body(new BulkRequest(items, 0)));
    }

    @Test
    void serialisedDocumentsAreCopiedByteForByteBetweenDocumentsThatWriteThemselves() {
        byte[] serialised = "{\"log\":\"caf\u00e9 \u2603 \ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8);
        SinkRecord writing = new SinkRecord(RecordId.of("f1:1"), g -> {
            g.writeStartObject();
            g.writeStringField("log", "\u00fcber");
            g.writeEndObject();
        }, () -> { });
        List<BulkItem> items = encoder.encode(List.of(
                new SinkRecord(RecordId.of("f1:0"), Document.ofJson(serialised, RoutingKey.NONE), () -> { }),
                writing,
                new SinkRecord(RecordId.of("f1:2"), Document.ofJson(serialised, RoutingKey.NONE), () -> { })),
                new Delivery(3), 0,
                (r, e) -> { throw new AssertionError(e); });

        assertEquals("""
                {"create":{"_index":"logs-kubernetes.container-default","_id":"f1:0"}}
                {"log":"caf\u00e9 \u2603 \ud83d\ude00"}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"f1:1"}}
                {"log":"\u00fcber"}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"f1:2"}}
                {"log":"caf\u00e9 \u2603 \ud83d\ude00"}
                """, body(new BulkRequest(items, 0)));
    }

    @Test
    void documentsThatWriteTheirOwnBytesAreCopiedAndThoseThatRefuseAreGenerated() {
        List<BulkItem> items = encoder.encode(List.of(
                new SinkRecord(RecordId.of("f1:0"), ownBytes("{\"log\":\"own\"}"), () -> { }),
                new SinkRecord(RecordId.of("f1:1"), refusing(), () -> { }),
                new SinkRecord(RecordId.of("f1:2"), ownBytes("{}"), () -> { })),
                new Delivery(3), 0, (r, e) -> { throw new AssertionError(e); });

        assertEquals("""
                {"create":{"_index":"logs-kubernetes.container-default","_id":"f1:0"}}
                {"log":"own"}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"f1:1"}}
                {"log":"generated"}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"f1:2"}}
                {}
                """, body(new BulkRequest(items, 0)));
    }

    private static Document ownBytes(String json) {
        return new Document() {
            @Override
            public void writeTo(JsonGenerator g) {
                throw new AssertionError("written with a generator");
            }

            @Override
            public boolean writeUtf8(JsonBytes out) {
                out.writeAscii(json);
                return true;
            }
        };
    }

    private static Document refusing() {
        return new Document() {
            @Override
            public void writeTo(JsonGenerator g) throws IOException {
                g.writeStartObject();
                g.writeStringField("log", "generated");
                g.writeEndObject();
            }

            @Override
            public boolean writeUtf8(JsonBytes out) {
                return false;
            }
        };
    }

    @Test
    void aBatchOfLargerDocumentsThanTheLastIsEncodedWhole() {
        encoder.encode(List.of(record("small", "{\"n\":1}")), new Delivery(1), 0, (r, e) -> { });
        String large = "{\"log\":\"" + "x".repeat(5000) + "\"}";
        List<BulkItem> items = encoder.encode(List.of(record("a", large), record("b", large)), new Delivery(2), 0,
                (r, e) -> { throw new AssertionError(e); });

        assertEquals(large, items.get(0).document());
        assertEquals(large, items.get(1).document());
    }

    @Test
    void aDocumentThatFailsHalfWayIsLeftOutAndTheBodyStaysValid() {
        SinkRecord broken = new SinkRecord(RecordId.of("f1:5"), g -> {
            g.writeStartObject();
            g.writeStringField("log", "half");
            throw new IllegalStateException("boom");
        }, () -> { });
        List<SinkRecord> refused = new ArrayList<>();
        List<BulkItem> items = encoder.encode(List.of(record("f1:0", "{\"a\":1}"), broken, record("f1:9", "{\"b\":2}")),
                new Delivery(3), 0, (r, e) -> refused.add(r));

        assertEquals(List.of(broken), refused);
        assertEquals("""
                {"create":{"_index":"logs-kubernetes.container-default","_id":"f1:0"}}
                {"a":1}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"f1:9"}}
                {"b":2}
                """, body(new BulkRequest(items, 0)));
    }

    @Test
    void batchesAreCutByBytesAndCountWithoutCopyingAndRetriesGather() {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(record("id" + i, "{\"n\":" + i + "}"));
        }
        List<BulkItem> items = encoder.encode(records, new Delivery(10), 0, (r, e) -> { });
        int itemBytes = items.get(0).length();

        List<BulkRequest> byBytes = BulkRequest.split(items, itemBytes * 3L, 100, 0);
        List<BulkRequest> byCount = BulkRequest.split(items, 1 << 20, 4, 0);

        assertEquals(List.of(3, 3, 3, 1), byBytes.stream().map(r -> r.items.size()).toList());
        assertEquals(List.of(4, 4, 2), byCount.stream().map(r -> r.items.size()).toList());
        assertSame(items.get(0).buffer(), byBytes.get(1).body(), "contiguous items are a slice of the batch buffer");
        BulkRequest retry = new BulkRequest(List.of(items.get(1), items.get(7)), 1);
        assertNotSame(items.get(0).buffer(), retry.body());
        assertEquals("""
                {"create":{"_index":"logs-kubernetes.container-default","_id":"id1"}}
                {"n":1}
                {"create":{"_index":"logs-kubernetes.container-default","_id":"id7"}}
                {"n":7}
                """, body(retry));
    }
}

package io.vedetta.logs.sink.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.vedetta.logs.route.IndexRouter;
import io.vedetta.logs.sink.Document;
import io.vedetta.logs.sink.SinkRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes records as {@code _bulk} NDJSON straight into one buffer: {@code {"create":{"_index":…,"_id":…}}}
 * and the document, each on its line. No intermediate objects: the document writes itself to the generator.
 */
final class BulkEncoder {

    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .rootValueSeparator((String) null)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final IndexRouter router;
    /**
     * Bytes per encoded record in the last batch, so the next batch's buffer is sized right at once: growing it
     * copies the whole body each time, which cost more than the encoding itself on typical 500-record batches.
     */
    private volatile int bytesPerRecord = 512;

    BulkEncoder(IndexRouter router) {
        this.router = router;
    }

    /**
     * Encodes {@code records} in order; a record whose document cannot be written is handed to {@code broken}
     * with the cause instead, and left out.
     */
    List<BulkItem> encode(List<SinkRecord> records, Delivery delivery, long nowNanos,
            BiConsumer<SinkRecord, Exception> broken) {
        NdjsonBuffer out = new NdjsonBuffer(Math.max(1024, records.size() * (bytesPerRecord + bytesPerRecord / 8)));
        List<BulkItem> items = new ArrayList<>(records.size());
        JsonGenerator g = null;
        for (SinkRecord record : records) {
            int start = out.size();
            try {
                if (g == null) {
                    g = JSON.createGenerator(out);
                }
                String index = router.route(record.document(), nowNanos);
                writeAction(g, index, record.id());
                g.flush();
                int docStart = out.size();
                if (record.document() instanceof Document.Serialised serialised) {
                    out.writeBytes(serialised.json());
                } else {
                    record.document().writeTo(g);
                }
                g.writeRaw('\n');
                g.flush();
                items.add(new BulkItem(record, delivery, index, null, start, docStart, out.size(), false));
            } catch (IOException | RuntimeException e) {
                // The generator may be mid-object: start afresh after the last complete record.
                g = null;
                out.truncate(start);
                broken.accept(record, e);
            }
        }
        if (g != null) {
            try {
                g.close();
            } catch (IOException e) {
                throw new IllegalStateException("closing a generator over memory cannot fail", e);
            }
        }
        if (!items.isEmpty()) {
            bytesPerRecord = Math.max(64, out.size() / items.size());
        }
        byte[] buffer = out.array();
        return items.stream().map(i -> new BulkItem(i.record(), i.delivery(), i.index(), buffer, i.start(),
                i.docStart(), i.end(), false)).toList();
    }

    static void writeAction(JsonGenerator g, String index, String id) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("create");
        g.writeStringField("_index", index);
        g.writeStringField("_id", id);
        g.writeEndObject();
        g.writeEndObject();
        g.writeRaw('\n');
    }

    static JsonFactory json() {
        return JSON;
    }
}

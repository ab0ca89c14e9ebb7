package io.vedetta.logs.sink.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.vedetta.bytes.JsonBytes;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.route.IndexRouter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Writes records as {@code _bulk} NDJSON straight into one buffer: {@code {"create":{"_index":…,"_id":…}}}
 * and the document, each on its line. No intermediate objects: the document writes its bytes itself when it can
 * ({@link Document#writeUtf8}), else to a generator over the same buffer.
 */
final class BulkEncoder {

    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .rootValueSeparator((String) null)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private static final byte[] ACTION_SUFFIX = "\"}}\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CACHED_PREFIXES = 1000;

    /** About the batches in flight at once: more would only hold memory. */
    private static final int SPARE_BUFFERS = 4;

    private final IndexRouter router;
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private final Map<String, byte[]> actionPrefixes = new ConcurrentHashMap<>();
    /**
     * Bytes per encoded record in the last batch, so the next batch's buffer is sized right at once: growing it
     * copies the whole body each time, which cost more than the encoding itself on typical 500-record batches.
     */
    private volatile int bytesPerRecord = 512;
    /** The id prefix last found plain; compared by identity, which is enough for a file's lines. */
    private volatile String plainIdPrefix;

    BulkEncoder(IndexRouter router) {
        this.router = router;
    }

    /**
     * Encodes {@code records} in order; a record whose document cannot be written is handed to {@code broken}
     * with the cause instead, and left out.
     */
    List<BulkItem> encode(List<SinkRecord> records, Delivery delivery, long nowNanos,
            BiConsumer<SinkRecord, Exception> broken) {
        JsonBytes out = new JsonBytes(take(Math.max(1024, records.size() * (bytesPerRecord + bytesPerRecord / 8))));
        List<SinkRecord> encoded = new ArrayList<>(records.size());
        List<String> indices = new ArrayList<>(records.size());
        // start, document start and end of each encoded record; the buffer's array is final only at the end.
        int[] offsets = new int[records.size() * 3];
        JsonGenerator g = null;
        for (SinkRecord record : records) {
            int start = out.size();
            try {
                String index = router.route(record.document(), nowNanos);
                writeAction(out, index, record.id());
                int docStart = out.size();
                if (record.document() instanceof Document.Serialised serialised) {
                    out.writeBytes(serialised.json());
                    out.write('\n');
                } else if (record.document().writeUtf8(out)) {
                    out.write('\n');
                } else {
                    if (g == null) {
                        g = JSON.createGenerator(out);
                    }
                    record.document().writeTo(g);
                    g.writeRaw('\n');
                    g.flush();
                }
                int at = encoded.size() * 3;
                offsets[at] = start;
                offsets[at + 1] = docStart;
                offsets[at + 2] = out.size();
                encoded.add(record);
                indices.add(index);
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
        if (!encoded.isEmpty()) {
            bytesPerRecord = Math.max(64, out.size() / encoded.size());
        }
        byte[] buffer = out.array();
        List<BulkItem> items = new ArrayList<>(encoded.size());
        for (int i = 0; i < encoded.size(); i++) {
            items.add(new BulkItem(encoded.get(i), delivery, indices.get(i), buffer, offsets[i * 3],
                    offsets[i * 3 + 1], offsets[i * 3 + 2]));
        }
        return items;
    }

    /**
     * Takes back the buffer of a batch whose every record is done (delivered or dead-lettered), for a later batch:
     * allocating and zeroing half a megabyte per batch, and copying it through the young generation while its
     * requests were in flight, was a large part of the agent's garbage collection. Nothing may read the buffer
     * afterwards; a batch that is abandoned is never given back.
     */
    void giveBack(byte[] buffer) {
        synchronized (spare) {
            if (spare.size() < SPARE_BUFFERS) {
                spare.addLast(buffer);
            }
        }
    }

    /** A spare buffer of at least {@code size} bytes, or a new one. */
    private byte[] take(int size) {
        synchronized (spare) {
            byte[] buffer = spare.pollFirst();
            if (buffer != null && buffer.length >= size) {
                return buffer;
            }
        }
        return new byte[size];
    }

    /**
     * {@code {"create":{"_index":…,"_id":…}}} and its newline, as {@link #writeAction(JsonGenerator, String, String)}
     * writes it: the part up to the id is kept per index, and an id of plain characters (as the tailer makes them)
     * is copied as it is; a generator per action line cost as much as copying the document. The lines of a file share
     * their id's prefix, so it is checked once, not per record.
     */
    private void writeAction(JsonBytes out, String index, RecordId id) throws IOException {
        byte[] prefix = actionPrefixes.get(index);
        if (prefix == null) {
            prefix = actionPrefix(index);
            if (actionPrefixes.size() >= MAX_CACHED_PREFIXES) {
                actionPrefixes.clear();
            }
            actionPrefixes.put(index, prefix);
        }
        String idPrefix = id.prefix();
        if (idPrefix != plainIdPrefix) {
            if (!plain(idPrefix)) {
                try (JsonGenerator g = JSON.createGenerator(out)) {
                    writeAction(g, index, id.toString());
                }
                return;
            }
            plainIdPrefix = idPrefix;
        }
        out.writeBytes(prefix);
        out.writeAscii(idPrefix);
        id.writeOffsets(out);
        out.writeBytes(ACTION_SUFFIX);
    }

    private static byte[] actionPrefix(String index) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            writeAction(g, index, "");
        }
        byte[] whole = bytes.toByteArray();
        return Arrays.copyOf(whole, whole.length - ACTION_SUFFIX.length);
    }

    /** Characters JSON writes as they are, in one byte each. */
    private static boolean plain(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
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

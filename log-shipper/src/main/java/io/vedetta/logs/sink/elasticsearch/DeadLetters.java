package io.vedetta.logs.sink.elasticsearch;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vedetta.bytes.JsonBytes;
import io.vedetta.bytes.Timestamps;
import io.vedetta.logs.record.SinkRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds dead letters: for a record Elasticsearch refused for good, a document in the daily index
 * {@code <prefix>-YYYY.MM.DD} holding the original document as a string, where it was going and why it was
 * refused. Its {@code _id} is the record's, so a dead letter sent twice is stored once.
 */
final class DeadLetters {

    /** A refused record and the reason. */
    record Refusal(BulkItem item, int status, String errorType, String reason) {
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private final String prefix;

    DeadLetters(String prefix) {
        this.prefix = prefix;
    }

    String indexFor(long nowNanos) {
        return prefix + "-" + LocalDate.ofEpochDay(Math.floorDiv(nowNanos, NANOS_PER_DAY)).format(DAY);
    }

    /** Bulk items that create the dead letters of {@code refusals}, in one buffer. */
    List<BulkItem> encode(List<Refusal> refusals, long nowNanos) {
        JsonBytes out = new JsonBytes(1024 * refusals.size());
        String index = indexFor(nowNanos);
        List<int[]> offsets = new ArrayList<>();
        try (JsonGenerator g = BulkEncoder.json().createGenerator(out)) {
            for (Refusal r : refusals) {
                int start = out.size();
                BulkEncoder.writeAction(g, index, r.item().id().toString());
                g.flush();
                int docStart = out.size();
                write(g, nowNanos, r.item().index(), r.item().id().toString(), r.status(), r.errorType(), r.reason(),
                        r.item().document());
                g.flush();
                offsets.add(new int[] {start, docStart, out.size()});
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        List<BulkItem> items = new ArrayList<>(refusals.size());
        for (int i = 0; i < refusals.size(); i++) {
            BulkItem original = refusals.get(i).item();
            int[] o = offsets.get(i);
            items.add(original.deadLetterOf(index, out.array(), o[0], o[1], o[2]));
        }
        return items;
    }

    /** The dead letter of a record whose document could not even be written, for the local file. */
    static String brokenRecord(SinkRecord record, Exception cause, long nowNanos) {
        JsonBytes out = new JsonBytes(512);
        try (JsonGenerator g = BulkEncoder.json().createGenerator(out)) {
            write(g, nowNanos, "", record.id().toString(), 0, "serialization", String.valueOf(cause), null);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return new String(out.array(), 0, out.size() - 1, StandardCharsets.UTF_8);
    }

    private static void write(JsonGenerator g, long nowNanos, String target, String id, int status, String type,
            String reason, String document) throws IOException {
        g.writeStartObject();
        g.writeStringField("@timestamp", Timestamps.formatUtc(nowNanos));
        g.writeStringField("target", target);
        g.writeStringField("record_id", id);
        g.writeNumberField("status", status);
        g.writeObjectFieldStart("error");
        g.writeStringField("type", type);
        g.writeStringField("reason", reason);
        g.writeEndObject();
        if (document != null) {
            g.writeStringField("document", document);
        }
        g.writeEndObject();
        g.writeRaw('\n');
    }
}

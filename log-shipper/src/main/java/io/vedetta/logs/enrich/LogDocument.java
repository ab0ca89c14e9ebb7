package io.vedetta.logs.enrich;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.vedetta.bytes.JsonBytes;
import io.vedetta.bytes.RawJson;
import io.vedetta.bytes.Timestamps;
import io.vedetta.logs.parse.LogEvent;
import io.vedetta.logs.parse.LogFlag;
import io.vedetta.logs.parse.LogStream;
import io.vedetta.logs.parse.Utf8Text;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RoutingKey;
import io.vedetta.pods.PodInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One enriched record, ready to be written as one JSON document. It keeps references (the event and the
 * file's template) rather than a map of fields, so nothing is copied per record until {@link #writeTo}.
 */
public final class LogDocument implements Document {

    /** Tag of a record whose pod metadata was not found. */
    public static final String UNENRICHED_TAG = "unenriched";
    /** Pod annotation naming the route of its logs: the data stream's last part, or the daily index's middle. */
    public static final String ROUTE_ANNOTATION = "vedetta.io/index";

    private static final SerializedString TIMESTAMP = new SerializedString("@timestamp");
    private static final byte[] OPEN_TIMESTAMP = "{\"@timestamp\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAGS_KEY = DocumentBytes.key("tags");
    private static final LogFlag[] FLAGS = LogFlag.values();

    private final LogEvent event;
    private final DocumentTemplate template;

    LogDocument(LogEvent event, DocumentTemplate template) {
        this.event = event;
        this.template = template;
    }

    public LogEvent event() {
        return event;
    }

    public ContainerRef source() {
        return template.source();
    }

    /** The pod the record was enriched with; empty for an un-enriched record. */
    public Optional<PodInfo> pod() {
        return template.pod();
    }

    public boolean enriched() {
        return template.enriched();
    }

    /**
     * Writes the document as one JSON object: {@code @timestamp} (UTC, nine fraction digits), the message,
     * the stream, the parsed JSON fields if any, the pod metadata, and {@code tags} when something happened
     * to the record (unparsed, split, invalid UTF-8, un-enriched, …).
     */
    @Override
    public RoutingKey routingKey() {
        // Without Optional chains: this runs for every record, in the buffer and again in the sink.
        PodInfo pod = template.pod().orElse(null);
        if (pod == null) {
            return new RoutingKey(source().namespace(), "", event.epochNanos());
        }
        return new RoutingKey(pod.namespace(), pod.annotations().getOrDefault(ROUTE_ANNOTATION, "").trim(),
                event.epochNanos());
    }

    @Override
    public void writeTo(JsonGenerator g) throws IOException {
        DocumentLayout layout = template.layout();
        g.writeStartObject();
        g.writeFieldName(TIMESTAMP);
        g.writeString(Timestamps.formatUtc(event.epochNanos()));
        g.writeStringField(layout.messageField(), event.message());
        if (event.stream() != LogStream.UNKNOWN) {
            g.writeStringField(layout.streamField(), event.stream().text());
        }
        if (event.json() != null) {
            g.writeFieldName(template.jsonField());
            Utf8Text json = event.json().text();
            g.writeRawValue(new RawJson(json.bytes(), json.offset(), json.length()));
        }
        // Raw, after @timestamp at least: the generator's own comma handling still works for the fields after it.
        g.writeRaw(template.metadata().followingEntries());
        if (!event.flags().isEmpty() || !template.enriched()) {
            g.writeArrayFieldStart("tags");
            for (LogFlag flag : FLAGS) {
                if (event.has(flag)) {
                    g.writeString(flag.tag());
                }
            }
            if (!template.enriched()) {
                g.writeString(UNENRICHED_TAG);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** What {@link #writeTo} writes, field by field, from the file's {@link DocumentBytes}. */
    @Override
    public boolean writeUtf8(JsonBytes out) {
        DocumentBytes bytes = template.bytes();
        if (bytes == null) {
            return false;
        }
        int start = out.size();
        out.writeBytes(OPEN_TIMESTAMP);
        out.writeQuotedTimestamp(event.epochNanos());
        out.writeBytes(bytes.messageKey());
        Utf8Text text = event.text();
        if (!out.writeQuotedUtf8(text.bytes(), text.offset(), text.length())) {
            out.truncate(start);
            return false;
        }
        if (event.stream() != LogStream.UNKNOWN) {
            out.writeBytes(bytes.streams()[event.stream().ordinal()]);
        }
        if (event.json() != null) {
            out.writeBytes(bytes.jsonKey());
            Utf8Text json = event.json().text();
            out.write(json.bytes(), json.offset(), json.length());
        }
        out.writeBytes(bytes.metadata());
        if (!event.flags().isEmpty() || !template.enriched()) {
            out.writeBytes(TAGS_KEY);
            out.write('[');
            boolean first = true;
            for (LogFlag flag : FLAGS) {
                if (event.has(flag)) {
                    first = comma(out, first);
                    out.writeQuoted(flag.tag());
                }
            }
            if (!template.enriched()) {
                comma(out, first);
                out.writeQuoted(UNENRICHED_TAG);
            }
            out.write(']');
        }
        out.write('}');
        return true;
    }

    /** A comma unless {@code first}; false, for the next element. */
    private static boolean comma(JsonBytes out, boolean first) {
        if (!first) {
            out.write(',');
        }
        return false;
    }
}

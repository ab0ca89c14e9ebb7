package io.vedetta.logs.enrich;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An immutable, ordered JSON object of strings and nested objects. The per-file part of every document is
 * built once as one of these and written straight to the generator for each record.
 */
final class Fields {

    private static final JsonFactory JSON = new JsonFactory();

    private final List<Map.Entry<String, Object>> entries;
    private final SerializedString followingEntries;

    private Fields(List<Map.Entry<String, Object>> entries) {
        this.entries = List.copyOf(entries);
        this.followingEntries = new SerializedString(followingEntries(this));
    }

    static Builder builder() {
        return new Builder();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Writes the entries into the object the generator is in. */
    void writeEntries(JsonGenerator g) throws IOException {
        for (Map.Entry<String, Object> e : entries) {
            g.writeFieldName(e.getKey());
            if (e.getValue() instanceof Fields nested) {
                g.writeStartObject();
                nested.writeEntries(g);
                g.writeEndObject();
            } else {
                g.writeString((String) e.getValue());
            }
        }
    }

    /**
     * The entries as raw JSON to append to an object that already has a field: {@code ,"a":"b",…}, or nothing
     * when empty. Written once per file instead of once per record, because every record of a file carries the
     * same metadata; {@link SerializedString} keeps its UTF-8 bytes, so writing it is a copy.
     */
    SerializedString followingEntries() {
        return followingEntries;
    }

    private static String followingEntries(Fields fields) {
        if (fields.isEmpty()) {
            return "";
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.writeEntries(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing fields to a string cannot fail", e);
        }
        String object = out.toString();
        return "," + object.substring(1, object.length() - 1);
    }

    static final class Builder {
        private final List<Map.Entry<String, Object>> entries = new ArrayList<>();

        /** Adds the string unless it is null or empty: an unknown value is left out, not shipped as "". */
        Builder put(String name, String value) {
            if (value != null && !value.isEmpty()) {
                entries.add(Map.entry(name, value));
            }
            return this;
        }

        /** Adds the nested object unless it is empty. */
        Builder put(String name, Fields value) {
            if (!value.isEmpty()) {
                entries.add(Map.entry(name, value));
            }
            return this;
        }

        /** Adds every entry of the map as a string field, in the map's order. */
        Builder putAll(Map<String, String> values) {
            values.forEach(this::put);
            return this;
        }

        Fields build() {
            return new Fields(entries);
        }
    }
}

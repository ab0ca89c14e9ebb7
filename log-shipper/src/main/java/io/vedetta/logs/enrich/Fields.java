package io.vedetta.logs.enrich;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An immutable, ordered JSON object of strings and nested objects. The per-file part of every document is
 * built once as one of these and written straight to the generator for each record.
 */
final class Fields {

    private final List<Map.Entry<String, Object>> entries;

    private Fields(List<Map.Entry<String, Object>> entries) {
        this.entries = List.copyOf(entries);
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

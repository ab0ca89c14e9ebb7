package io.vedetta.logs.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a message that is one JSON object into its fields, written again as one compact JSON object in UTF-8
 * ({@code logs.parseJson}). Most messages take {@link CompactJson}'s single pass. The others go token by token from
 * a streaming parser straight to a generator: building a tree of every message and writing it back node by node was
 * the largest single cost of the pipeline. What the streaming copy cannot take as it comes, a duplicate key above
 * all, goes the tree's way, which keeps the last value in the first key's place; so all ways write the same
 * document.
 *
 * <p>Not thread-safe: one per parsing thread, which keeps its output buffer and generator from message to message
 * (a generator and a buffer per message were a tenth of the pipeline's allocation) and from file to file.
 */
final class JsonObjectCopier {

    private final JsonFactory json;
    private final ObjectMapper tree;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private final List<FieldNames> objects = new ArrayList<>();
    private final CompactJson compact = new CompactJson();
    private JsonGenerator generator;

    /** @param tree the mapper that reads messages the streaming copy refuses, and says why they do not parse */
    JsonObjectCopier(ObjectMapper tree) {
        this.tree = tree;
        // Nothing between the root values that one generator writes one after the other.
        this.json = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
    }

    /**
     * The object's fields as compact JSON, or null when {@code message} does not start with '{' (after
     * whitespace): such a message is text, not a failed object.
     *
     * @throws JsonProcessingException when it starts like an object but is not exactly one
     */
    JsonFields copy(Utf8Text message) throws JsonProcessingException {
        int first = 0;
        // ASCII whitespace only: JSON allows no other before a value.
        while (first < message.length() && message.byteAt(first) >= 0
                && Character.isWhitespace((char) message.byteAt(first))) {
            first++;
        }
        if (first == message.length() || message.byteAt(first) != '{') {
            return null;
        }
        JsonFields compact = this.compact.copy(message);
        if (compact != null) {
            return compact;
        }
        out.reset();
        try {
            if (stream(message)) {
                return new JsonFields(out.toByteArray());
            }
        } catch (IOException e) {
            // Not one valid object: the tree decides, and names the error.
        }
        // The generator may be inside an object it did not finish.
        generator = null;
        out.reset();
        JsonNode node;
        try {
            node = tree.readTree(message.bytes(), message.offset(), message.length());
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
        if (!(node instanceof ObjectNode)) {
            return null;
        }
        try (JsonGenerator g = json.createGenerator(out)) {
            JsonNodeWriter.write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return new JsonFields(out.toByteArray());
    }

    /**
     * Copies the object token by token; false when the message holds something else or more than the object, or
     * an object in it has a key twice.
     */
    private boolean stream(Utf8Text message) throws IOException {
        if (generator == null) {
            generator = json.createGenerator(out);
        }
        JsonGenerator g = generator;
        try (JsonParser p = json.createParser(message.bytes(), message.offset(), message.length())) {
            JsonToken token = p.nextToken();
            if (token != JsonToken.START_OBJECT) {
                return false;
            }
            int depth = 0;
            int objectDepth = 0;
            do {
                switch (token) {
                    case START_OBJECT -> {
                        g.writeStartObject();
                        depth++;
                        names(objectDepth++).clear();
                    }
                    case END_OBJECT -> {
                        g.writeEndObject();
                        depth--;
                        objectDepth--;
                    }
                    case START_ARRAY -> {
                        g.writeStartArray();
                        depth++;
                    }
                    case END_ARRAY -> {
                        g.writeEndArray();
                        depth--;
                    }
                    case FIELD_NAME -> {
                        if (!objects.get(objectDepth - 1).add(p.currentName())) {
                            return false;
                        }
                        g.writeFieldName(p.currentName());
                    }
                    case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    case VALUE_NUMBER_INT -> writeInteger(p, g);
                    // As the tree reads it: a double, whatever digits the message had.
                    case VALUE_NUMBER_FLOAT -> g.writeNumber(p.getDoubleValue());
                    case VALUE_TRUE -> g.writeBoolean(true);
                    case VALUE_FALSE -> g.writeBoolean(false);
                    case VALUE_NULL -> g.writeNull();
                    default -> {
                        return false;
                    }
                }
            } while (depth > 0 && (token = p.nextToken()) != null);
            if (depth != 0 || p.nextToken() != null) {
                return false;
            }
            g.flush();
            return true;
        }
    }

    private FieldNames names(int objectDepth) {
        if (objectDepth == objects.size()) {
            objects.add(new FieldNames());
        }
        return objects.get(objectDepth);
    }

    /**
     * The keys of one object seen so far. A few keys are compared one by one: a hash set per object, as Jackson's
     * own duplicate detection keeps, cost more than the copy itself.
     */
    private static final class FieldNames {
        private static final int SCANNED = 16;
        private final String[] first = new String[SCANNED];
        private final Set<String> more = new HashSet<>();
        private int size;

        void clear() {
            size = 0;
            more.clear();
        }

        /** False when {@code name} is there already. */
        boolean add(String name) {
            int scanned = Math.min(size, SCANNED);
            for (int i = 0; i < scanned; i++) {
                if (first[i].equals(name)) {
                    return false;
                }
            }
            if (size < SCANNED) {
                first[size++] = name;
                return true;
            }
            size++;
            return more.add(name);
        }
    }

    private static void writeInteger(JsonParser p, JsonGenerator g) throws IOException {
        switch (p.getNumberType()) {
            case INT -> g.writeNumber(p.getIntValue());
            case LONG -> g.writeNumber(p.getLongValue());
            default -> g.writeNumber(p.getBigIntegerValue());
        }
    }
}

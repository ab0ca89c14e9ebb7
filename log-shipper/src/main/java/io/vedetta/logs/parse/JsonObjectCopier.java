package io.vedetta.logs.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns a message that is one JSON object into its fields, written again as one compact JSON object in UTF-8
 * ({@code logs.parseJson}). Tokens go from a streaming parser straight to a generator: building a tree of every
 * message and writing it back node by node was the largest single cost of the pipeline. What the streaming copy
 * cannot take as it comes, a duplicate key above all, goes the tree's way, which keeps the last value in the first
 * key's place; so both ways write the same document. Thread-safe.
 */
final class JsonObjectCopier {

    private final JsonFactory streaming;
    private final ObjectMapper tree;

    /** @param tree the mapper that reads messages the streaming copy refuses, and says why they do not parse */
    JsonObjectCopier(ObjectMapper tree) {
        this.tree = tree;
        this.streaming = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * The object's fields as compact JSON, or null when {@code message} does not start with '{' (after
     * whitespace): such a message is text, not a failed object.
     *
     * @throws JsonProcessingException when it starts like an object but is not exactly one
     */
    byte[] copy(String message) throws JsonProcessingException {
        int first = 0;
        while (first < message.length() && Character.isWhitespace(message.charAt(first))) {
            first++;
        }
        if (first == message.length() || message.charAt(first) != '{') {
            return null;
        }
        ByteArrayBuilder out = new ByteArrayBuilder(message.length() + 16);
        try {
            if (stream(message, out)) {
                return out.toByteArray();
            }
        } catch (IOException e) {
            // A duplicate key, or not one valid object: the tree decides, and names the error.
        }
        JsonNode node = tree.readTree(message);
        if (!(node instanceof ObjectNode)) {
            return null;
        }
        out.reset();
        try (JsonGenerator g = streaming.createGenerator(out)) {
            JsonNodeWriter.write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Copies the object token by token; false when the message holds something else or more than the object. */
    private boolean stream(String message, ByteArrayBuilder out) throws IOException {
        try (JsonParser p = streaming.createParser(message); JsonGenerator g = streaming.createGenerator(out)) {
            JsonToken token = p.nextToken();
            if (token != JsonToken.START_OBJECT) {
                return false;
            }
            int depth = 0;
            do {
                switch (token) {
                    case START_OBJECT -> {
                        g.writeStartObject();
                        depth++;
                    }
                    case END_OBJECT -> {
                        g.writeEndObject();
                        depth--;
                    }
                    case START_ARRAY -> {
                        g.writeStartArray();
                        depth++;
                    }
                    case END_ARRAY -> {
                        g.writeEndArray();
                        depth--;
                    }
                    case FIELD_NAME -> g.writeFieldName(p.currentName());
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
            return depth == 0 && p.nextToken() == null;
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

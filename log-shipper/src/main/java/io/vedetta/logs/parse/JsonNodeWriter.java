package io.vedetta.logs.parse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;

/**
 * Writes a JSON message read as a tree (the messages {@link JsonObjectCopier} cannot copy token by token) with a
 * plain generator. {@code JsonGenerator.writeTree} would need an ObjectMapper as the generator's codec.
 */
final class JsonNodeWriter {

    private JsonNodeWriter() {
    }

    static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode item : node) {
                    write(g, item);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case NUMBER -> writeNumber(g, node);
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case BINARY -> g.writeBinary(node.binaryValue());
            default -> g.writeNull();
        }
    }

    private static void writeNumber(JsonGenerator g, JsonNode node) throws IOException {
        if (node.isBigDecimal()) {
            g.writeNumber(node.decimalValue());
        } else if (node.isBigInteger()) {
            g.writeNumber(node.bigIntegerValue());
        } else if (node.isIntegralNumber()) {
            g.writeNumber(node.longValue());
        } else {
            g.writeNumber(node.doubleValue());
        }
    }
}

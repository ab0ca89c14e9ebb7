package io.vedetta.logs.sink.elasticsearch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code _bulk} response item by item with a streaming parser: each item's status and, for failures,
 * the error's type and reason. Nothing else of the response is kept.
 */
final class BulkResponseParser {

    /** The {@code filter_path} that asks Elasticsearch for just what this parser reads. */
    static final String FILTER_PATH = "errors,items.*.status,items.*.error";

    /**
     * One item's result, in request order; {@code errorType} and {@code reason} are empty on success, {@code status}
     * is {@link ItemFate#NO_STATUS} when the item has none.
     */
    record ItemResult(int status, String errorType, String reason) {
    }

    private BulkResponseParser() {
    }

    static List<ItemResult> parse(InputStream body, int expectedItems) throws IOException {
        List<ItemResult> results = new ArrayList<>(expectedItems);
        try (JsonParser p = BulkEncoder.json().createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("items") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        expect(p.nextToken(), JsonToken.FIELD_NAME);
                        expect(p.nextToken(), JsonToken.START_OBJECT);
                        results.add(item(p));
                        expect(p.nextToken(), JsonToken.END_OBJECT);
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return results;
    }

    private static ItemResult item(JsonParser p) throws IOException {
        int status = ItemFate.NO_STATUS;
        String type = "";
        String reason = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("status")) {
                // Anything but a number leaves the item without a status (retried), not the response unreadable.
                status = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : ItemFate.NO_STATUS;
                p.skipChildren();
            } else if (field.equals("error") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (name.equals("type")) {
                        type = p.getText();
                    } else if (name.equals("reason")) {
                        reason = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else if (field.equals("error")) {
                reason = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return new ItemResult(status, type, reason);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected bulk response: " + actual + " where " + expected + " belongs");
        }
    }
}

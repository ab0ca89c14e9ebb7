package io.vedetta.logs.sink.elasticsearch;

import io.vedetta.logs.record.SinkRecord;
import java.nio.charset.StandardCharsets;

/**
 * One record's two NDJSON lines (action and document) in a shared buffer: {@code [start, docStart)} is the
 * action line, {@code [docStart, end)} the document line with its newline.
 *
 * @param deadLetter whether the document is a dead letter of {@code record} rather than the record itself
 */
record BulkItem(SinkRecord record, Delivery delivery, String index, byte[] buffer, int start, int docStart, int end,
        boolean deadLetter) {

    int length() {
        return end - start;
    }

    /** The document as sent, without its newline: what a dead letter keeps. */
    String document() {
        return new String(buffer, docStart, end - docStart - 1, StandardCharsets.UTF_8);
    }
}

package io.vedetta.logs.sink.elasticsearch;

import io.vedetta.logs.record.Acknowledgement;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.SinkRecord;
import java.nio.charset.StandardCharsets;

/**
 * One record's two NDJSON lines (action and document) in a shared buffer: {@code [start, docStart)} is the
 * action line, {@code [docStart, end)} the document line with its newline. Of the record it keeps what delivery
 * needs (id, acknowledgement, read time), not its document: once the bytes exist, the parsed event and the line it
 * came from are garbage, rather than held through every request and retry (the log benchmark then promoted 30-45%
 * fewer bytes to the old generation).
 *
 * @param deadLetter whether the document is a dead letter of the record rather than the record itself
 */
record BulkItem(RecordId id, Acknowledgement ack, long readNanos, Delivery delivery, String index, byte[] buffer,
        int start, int docStart, int end, boolean deadLetter) {

    BulkItem(SinkRecord record, Delivery delivery, String index, byte[] buffer, int start, int docStart, int end) {
        this(record.id(), record.ack(), record.readNanos(), delivery, index, buffer, start, docStart, end, false);
    }

    /** This record's dead letter, written at {@code [start, end)} of {@code buffer}. */
    BulkItem deadLetterOf(String index, byte[] buffer, int start, int docStart, int end) {
        return new BulkItem(id, ack, readNanos, delivery, index, buffer, start, docStart, end, true);
    }

    int length() {
        return end - start;
    }

    /** The document as sent, without its newline: what a dead letter keeps. */
    String document() {
        return new String(buffer, docStart, end - docStart - 1, StandardCharsets.UTF_8);
    }
}

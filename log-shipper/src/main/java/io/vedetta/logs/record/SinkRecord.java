package io.vedetta.logs.record;

import java.util.Objects;

/**
 * What a sink takes: the document, its stable id (derived from the source file's identity and offset, used by
 * the Elasticsearch sink as {@code _id} with {@code create} so a re-send never duplicates) and the
 * acknowledgement that lets the source move its saved position past it.
 *
 * @param readNanos {@link System#nanoTime()} when the pipeline made the record out of the lines it read; sinks
 *                  measure the end-to-end latency (read to acknowledged) from it
 */
public record SinkRecord(RecordId id, Document document, Acknowledgement ack, long readNanos) {

    public SinkRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(ack, "ack");
    }

    /** A record read now. */
    public SinkRecord(RecordId id, Document document, Acknowledgement ack) {
        this(id, document, ack, System.nanoTime());
    }
}

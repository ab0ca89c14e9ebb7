package io.vedetta.logs.buffer;

import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RoutingKey;

/**
 * A record as the buffer keeps it once serialised: its id, its routing (so sinks still route it after a spill or
 * a restart; segment files store it {@linkplain RoutingKey#encode() encoded}), its document as one JSON object,
 * and when it was read ({@link System#nanoTime()}, so delivery latency includes the time spent here; a record
 * replayed after a restart counts from when it was read back).
 */
record StoredRecord(String id, RoutingKey routing, byte[] json, long readNanos) {

    /** What this record costs the memory budget: the document bytes plus the id and a little bookkeeping. */
    long memoryBytes() {
        return 64L + id.length() * 2L + json.length;
    }

    Document document() {
        return Document.ofJson(json, routing);
    }
}

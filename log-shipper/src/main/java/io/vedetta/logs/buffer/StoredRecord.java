package io.vedetta.logs.buffer;

/** A record as the buffer keeps it once serialised: its id and its document as one JSON object. */
record StoredRecord(String id, byte[] json) {

    /** What this record costs the memory budget: the document bytes plus the id and a little bookkeeping. */
    long memoryBytes() {
        return 64L + id.length() * 2L + json.length;
    }
}

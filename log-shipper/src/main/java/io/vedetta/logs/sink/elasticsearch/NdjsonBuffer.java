package io.vedetta.logs.sink.elasticsearch;

import java.io.ByteArrayOutputStream;

/** A growable byte buffer whose array is shared, not copied, with the bulk requests cut from it. */
final class NdjsonBuffer extends ByteArrayOutputStream {

    NdjsonBuffer(int capacity) {
        super(capacity);
    }

    byte[] array() {
        return buf;
    }

    /** Forgets everything after {@code size}: what a document that failed half-way had written. */
    void truncate(int size) {
        count = size;
    }
}

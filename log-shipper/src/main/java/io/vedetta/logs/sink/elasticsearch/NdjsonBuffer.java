package io.vedetta.logs.sink.elasticsearch;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** A growable byte buffer whose array is shared, not copied, with the bulk requests cut from it. */
final class NdjsonBuffer extends ByteArrayOutputStream {

    NdjsonBuffer(int capacity) {
        super(capacity);
    }

    /** Writes into {@code buffer} from its start (whatever it held is overwritten), growing it when full. */
    NdjsonBuffer(byte[] buffer) {
        super(0);
        buf = buffer;
    }

    byte[] array() {
        return buf;
    }

    /** Appends {@code text}, which must hold only ASCII characters, one byte each. */
    void writeAscii(String text) {
        int length = text.length();
        if (count + length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + length));
        }
        for (int i = 0; i < length; i++) {
            buf[count++] = (byte) text.charAt(i);
        }
    }

    /** Forgets everything after {@code size}: what a document that failed half-way had written. */
    void truncate(int size) {
        count = size;
    }
}

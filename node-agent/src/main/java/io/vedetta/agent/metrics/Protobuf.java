package io.vedetta.agent.metrics;

import java.io.ByteArrayOutputStream;

/** The few pieces of the protobuf wire format that {@link PassThroughFamily} writes by hand. */
final class Protobuf {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;

    private Protobuf() {
    }

    static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** A length-delimited field: tag, length, bytes. */
    static void writeField(ByteArrayOutputStream out, int field, byte[] bytes) {
        out.write(tag(field, LENGTH_DELIMITED));
        writeVarint(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }
}

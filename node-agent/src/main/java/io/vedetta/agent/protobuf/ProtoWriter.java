package io.vedetta.agent.protobuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the few protobuf wire-format encodings remote_write and the write-ahead log need:
 * varints, zig-zag varints, fixed 64-bit values, and length-delimited fields. Reused from one message to the next.
 */
public final class ProtoWriter {

    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LENGTH_DELIMITED = 2;

    private byte[] bytes;
    private int size;

    public ProtoWriter(int initialBytes) {
        bytes = new byte[Math.max(16, initialBytes)];
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public byte[] array() {
        return bytes;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Sets the size back, e.g. to drop what was written after {@code size}. */
    public void truncate(int size) {
        this.size = size;
    }

    public void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    public void byteValue(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    public void tag(int field, int wireType) {
        varint((field << 3) | wireType);
    }

    public void varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    public void zigzag(long value) {
        varint((value << 1) ^ (value >> 63));
    }

    public void fixed64(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
    }

    public void fixed32BigEndian(int value) {
        ensure(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    /** Overwrites four bytes at {@code at}, e.g. a length written once the rest was. */
    public void putFixed32BigEndian(int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    public void bytes(byte[] b, int from, int length) {
        ensure(length);
        System.arraycopy(b, from, bytes, size, length);
        size += length;
    }

    public void bytes(byte[] b) {
        bytes(b, 0, b.length);
    }

    /** A length-delimited string field. */
    public void string(int field, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        tag(field, LENGTH_DELIMITED);
        varint(utf8.length);
        bytes(utf8);
    }

    public static int varintSize(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            n++;
            value >>>= 7;
        }
        return n;
    }
}

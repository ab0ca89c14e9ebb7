package io.vedetta.agent.protobuf;

import java.nio.charset.StandardCharsets;

/**
 * Reads the protobuf wire format from a byte range; an encoding that runs past the range fails with
 * {@link IllegalArgumentException}.
 */
public final class ProtoReader {

    private final byte[] bytes;
    private int at;
    private final int end;

    public ProtoReader(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.at = from;
        this.end = to;
    }

    public boolean atEnd() {
        return at >= end;
    }

    public int position() {
        return at;
    }

    public long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= end) {
                throw new IllegalArgumentException("a varint runs past the end");
            }
            byte b = bytes[at++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a varint longer than ten bytes");
    }

    public long zigzag() {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    public long fixed64() {
        if (at + 8 > end) {
            throw new IllegalArgumentException("a fixed64 runs past the end");
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (long) (bytes[at++] & 0xff) << (8 * i);
        }
        return value;
    }

    /** The length of a length-delimited field, checked against what is left. */
    public int length() {
        long length = varint();
        if (length < 0 || length > end - at) {
            throw new IllegalArgumentException("a field of " + length + " bytes runs past the end");
        }
        return (int) length;
    }

    public String string(int length) {
        String s = new String(bytes, at, length, StandardCharsets.UTF_8);
        at += length;
        return s;
    }

    public void skip(int length) {
        at += length;
    }

    /** Skips the value of a field of {@code wireType}, e.g. one this reader does not know. */
    public void skipField(int wireType) {
        switch (wireType) {
            case 0 -> varint();
            case 1 -> skipChecked(8);
            case 2 -> skip(length());
            case 5 -> skipChecked(4);
            default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
        }
    }

    private void skipChecked(int n) {
        if (at + n > end) {
            throw new IllegalArgumentException("a field runs past the end");
        }
        at += n;
    }

    /** A double (fixed64). */
    public double doubleValue() {
        return Double.longBitsToDouble(fixed64());
    }
}

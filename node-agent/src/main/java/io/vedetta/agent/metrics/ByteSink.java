package io.vedetta.agent.metrics;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A buffer in front of an {@link OutputStream} for writing a body a few bytes at a time: {@link PassThroughFamily}
 * writes tens of thousands of series of about 350 bytes each, in pieces of 1 to 300 bytes.
 */
final class ByteSink {

    private static final int BUFFER_BYTES = 1 << 16;

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int length;

    ByteSink(OutputStream out) {
        this.out = out;
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int from, int count) throws IOException {
        if (count > buffer.length - length) {
            flush();
            if (count > buffer.length) {
                out.write(bytes, from, count);
                return;
            }
        }
        System.arraycopy(bytes, from, buffer, length, count);
        length += count;
    }

    void write(int b) throws IOException {
        if (length == buffer.length) {
            flush();
        }
        buffer[length++] = (byte) b;
    }

    /** ASCII text, such as a formatted number. */
    void writeAscii(String s) throws IOException {
        int n = s.length();
        if (n > buffer.length - length) {
            flush();
        }
        for (int i = 0; i < n; i++) {
            buffer[length++] = (byte) s.charAt(i);
        }
    }

    void writeVarint(long value) throws IOException {
        if (buffer.length - length < 10) {
            flush();
        }
        while ((value & ~0x7FL) != 0) {
            buffer[length++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[length++] = (byte) value;
    }

    /** A double as protobuf writes a {@code double} field's value: 8 bytes, little-endian. */
    void writeFixed64(long bits) throws IOException {
        if (buffer.length - length < 8) {
            flush();
        }
        for (int i = 0; i < 8; i++) {
            buffer[length++] = (byte) (bits >>> (8 * i));
        }
    }

    /** Hands what is buffered to the stream (without flushing the stream). */
    void flush() throws IOException {
        if (length > 0) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }
}

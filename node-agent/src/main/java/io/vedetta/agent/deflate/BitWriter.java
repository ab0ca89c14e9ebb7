package io.vedetta.agent.deflate;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Deflate's bit order (RFC 1951, 3.1.1): values packed from the least significant bit of each byte, gathered in a
 * 64-bit accumulator and a byte buffer so that the stream underneath is written in large pieces.
 */
final class BitWriter {

    private static final int BUFFER_BYTES = 1 << 16;

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int length;
    private long bits;
    private int bitCount;

    BitWriter(OutputStream out) {
        this.out = out;
    }

    /** Appends the low {@code count} bits of {@code value} (at most 32 at a time, the rest of value zero). */
    void write(int value, int count) throws IOException {
        bits |= (value & 0xFFFFFFFFL) << bitCount;
        bitCount += count;
        if (bitCount >= 32) {
            if (length > BUFFER_BYTES - 4) {
                drain();
            }
            buffer[length] = (byte) bits;
            buffer[length + 1] = (byte) (bits >>> 8);
            buffer[length + 2] = (byte) (bits >>> 16);
            buffer[length + 3] = (byte) (bits >>> 24);
            length += 4;
            bits >>>= 32;
            bitCount -= 32;
        }
    }

    /** Pads the last byte with zeros (after the final block, before the gzip trailer). */
    void alignToByte() throws IOException {
        while (bitCount > 0) {
            writeByteOfBits();
        }
        bitCount = 0;
    }

    /** Whole bytes, after {@link #alignToByte}: the gzip header and trailer. */
    void writeBytes(byte[] bytes) throws IOException {
        if (bitCount != 0) {
            throw new IllegalStateException("bytes written between bit boundaries");
        }
        if (length > BUFFER_BYTES - bytes.length) {
            drain();
        }
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    /** Sends the whole bytes gathered so far to the stream underneath. */
    void drain() throws IOException {
        if (length > 0) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }

    private void writeByteOfBits() throws IOException {
        if (length == BUFFER_BYTES) {
            drain();
        }
        buffer[length++] = (byte) bits;
        bits >>>= 8;
        bitCount -= 8;
    }
}

package io.vedetta.logs.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Well-formed UTF-8 text as a slice of a byte array, not copied: a message as the file holds it. Messages stay bytes
 * from the line they were read in to the document they are written into; decoding each to a String and encoding it
 * again cost two passes and a copy per line, a seventh of the pipeline's allocation. The array is shared, so it must
 * not change once a text refers to it.
 */
public final class Utf8Text {

    public static final Utf8Text EMPTY = new Utf8Text(new byte[0], 0, 0);

    private final byte[] bytes;
    private final int offset;
    private final int length;

    /** {@code bytes[offset, offset+length)}, which the caller knows to be well-formed UTF-8. */
    Utf8Text(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    public static Utf8Text of(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return new Utf8Text(utf8, 0, utf8.length);
    }

    /** The slice as it is when it is well-formed; otherwise a copy with U+FFFD for each malformed sequence. */
    static Utf8Text decode(byte[] b, int off, int len, boolean valid) {
        return valid ? new Utf8Text(b, off, len) : of(new String(b, off, len, StandardCharsets.UTF_8));
    }

    /** The array the text is in, from {@link #offset()}; not copied, so not to be changed. */
    public byte[] bytes() {
        return bytes;
    }

    public int offset() {
        return offset;
    }

    /** In bytes. */
    public int length() {
        return length;
    }

    byte byteAt(int index) {
        return bytes[offset + index];
    }

    /** Bytes {@code [from, to)} of this text, which must not cut a character. */
    Utf8Text slice(int from, int to) {
        return new Utf8Text(bytes, offset + from, to - from);
    }

    /**
     * End of the longest piece from {@code from} that takes at most {@code maxBytes} and does not cut a character;
     * at least one character, so that cutting a text into pieces always makes progress.
     */
    int cut(int from, int maxBytes) {
        int to = from + maxBytes;
        if (to >= length) {
            return length;
        }
        while (to > from && isContinuation(to)) {
            to--;
        }
        if (to == from) {
            to = from + 1;
            while (to < length && isContinuation(to)) {
                to++;
            }
        }
        return to;
    }

    private boolean isContinuation(int index) {
        return (byteAt(index) & 0xC0) == 0x80;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Utf8Text other
                && Arrays.equals(bytes, offset, offset + length,
                        other.bytes, other.offset, other.offset + other.length);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + bytes[i];
        }
        return hash;
    }

    /** The text decoded, for what needs characters (multiline patterns, Jackson's generator). */
    @Override
    public String toString() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
}

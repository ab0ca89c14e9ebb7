package io.vedetta.bytes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer of UTF-8 JSON whose array is shared, not copied, with what is cut from it (the bulk requests
 * of a batch). Besides taking a Jackson generator's output as an {@code OutputStream}, it writes strings itself,
 * byte for byte as Jackson's UTF-8 generator writes them with its default settings, so that a document can be
 * written without a generator: going through one cost more than the rest of the encoding.
 */
public final class JsonBytes extends ByteArrayOutputStream {

    /**
     * Per ASCII character, what Jackson writes for it inside a string: 0 the character itself, a letter the
     * two-character escape (a backslash and that letter), -1 the six-character escape (backslash, u, 00, two hex digits).
     */
    private static final byte[] ESCAPES = new byte[128];
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_LOWER = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static {
        Arrays.fill(ESCAPES, 0, 0x20, (byte) -1);
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    private final Timestamps.UtcWriter utc = new Timestamps.UtcWriter();

    /** The characters of the string being written. */
    private char[] chars = new char[256];

    public JsonBytes(int capacity) {
        super(capacity);
    }

    /** Writes into {@code buffer} from its start (whatever it held is overwritten), growing it when full. */
    public JsonBytes(byte[] buffer) {
        super(0);
        buf = buffer;
    }

    /** Not synchronised, unlike the stream's: a buffer is written by one thread, and a lock per call was measurable. */
    @Override
    public void write(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    @Override
    public int size() {
        return count;
    }

    /** The buffer itself, valid up to {@link #size()}; replaced by a larger one when it grows. */
    public byte[] array() {
        return buf;
    }

    /** Forgets everything after {@code size}: what a document that failed half-way had written. */
    public void truncate(int size) {
        count = size;
    }

    /** Appends {@code text}, which must hold only ASCII characters, one byte each. */
    public void writeAscii(String text) {
        int length = text.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            buf[count++] = (byte) text.charAt(i);
        }
    }

    /**
     * Appends {@code text} as a quoted JSON string. False, with nothing written, when it holds a surrogate: Jackson
     * writes those as escapes or refuses them, depending on its version and features, so such text is left to it.
     */
    public boolean writeQuoted(String text) {
        int length = text.length();
        if (chars.length < length) {
            chars = new char[Math.max(length, 2 * chars.length)];
        }
        // One bulk copy, then a loop over an array: charAt per character cost twice as much.
        text.getChars(0, length, chars, 0);
        char[] in = chars;
        // Six bytes at most a character (an escape), and the quotes.
        ensure(6 * length + 2);
        byte[] b = buf;
        int n = count;
        b[n++] = '"';
        for (int i = 0; i < length; i++) {
            char c = in[i];
            if (c < 0x80) {
                n = escape(c, b, n);
            } else if (!Character.isSurrogate(c)) {
                n = Utf8.putNonAscii(c, b, n);
            } else {
                return false;
            }
        }
        b[n++] = '"';
        count = n;
        return true;
    }

    /** Appends {@code value}, which must not be negative, in hexadecimal as {@link Long#toHexString} writes it. */
    public void writeHex(long value) {
        int digits = value == 0 ? 1 : (Long.SIZE - Long.numberOfLeadingZeros(value) + 3) / 4;
        ensure(digits);
        for (int i = count + digits - 1; i >= count; i--) {
            buf[i] = HEX_LOWER[(int) (value & 0xf)];
            value >>>= 4;
        }
        count += digits;
    }

    /** Appends {@code epochNanos} as {@link Timestamps#formatUtc} writes it, quoted, without making that string. */
    public void writeQuotedTimestamp(long epochNanos) {
        ensure(Timestamps.UTC_LENGTH + 2);
        utc.write(epochNanos, buf, count + 1);
        buf[count] = '"';
        buf[count + 1 + Timestamps.UTC_LENGTH] = '"';
        count += Timestamps.UTC_LENGTH + 2;
    }

    /**
     * Appends the well-formed UTF-8 text {@code in[off, off+len)} as a quoted JSON string, byte for byte what
     * {@link #writeQuoted(String)} writes for the same text decoded: runs of plain ASCII are copied whole, a
     * character that needs an escape gets Jackson's, any other keeps its bytes. False, with nothing written, for a
     * character beyond U+FFFF (a surrogate pair in Java's terms: see there).
     */
    public boolean writeQuotedUtf8(byte[] in, int off, int len) {
        // Six bytes at most a byte (an escape), the quotes, and a word's worth written ahead.
        ensure(6 * len + 2 + Long.BYTES);
        byte[] b = buf;
        int n = count;
        b[n++] = '"';
        int end = off + len;
        int i = off;
        while (i < end) {
            if (i + Long.BYTES <= end) {
                // Eight bytes copied at once, and kept as far as they are plain: JSON messages have a quote every few
                // bytes, and finding each run's end and then copying it cost more than copying words ahead.
                long w = Words.word(in, i);
                Words.putWord(b, n, w);
                long special = Utf8.jsonSpecial(w);
                if (special == 0) {
                    i += Long.BYTES;
                    n += Long.BYTES;
                    continue;
                }
                int plain = Words.firstFlagged(special);
                i += plain;
                n += plain;
                byte c = in[i];
                if (c == '"' || c == '\\') {
                    // Most of what stops a word in a JSON message, so handled here without a lookup.
                    b[n++] = '\\';
                    b[n++] = c;
                    i++;
                    continue;
                }
            }
            byte c = in[i++];
            if (c >= 0) {
                n = escape(c, b, n);
            } else if ((c & 0xF8) != 0xF0) {
                b[n++] = c;
            } else {
                return false;
            }
        }
        b[n++] = '"';
        count = n;
        return true;
    }

    /** Writes what Jackson writes for the ASCII character {@code c} inside a string; the index after it. */
    private static int escape(int c, byte[] b, int n) {
        byte escape = ESCAPES[c];
        if (escape == 0) {
            b[n++] = (byte) c;
        } else if (escape > 0) {
            b[n++] = '\\';
            b[n++] = escape;
        } else {
            b[n++] = '\\';
            b[n++] = 'u';
            b[n++] = '0';
            b[n++] = '0';
            b[n++] = HEX[c >> 4];
            b[n++] = HEX[c & 0xf];
        }
        return n;
    }

    private void ensure(int more) {
        if (count + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
        }
    }
}

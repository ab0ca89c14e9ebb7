package io.vedetta.logs.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** UTF-8 checks, cuts and encoding done on the hot path without a {@code CharsetDecoder} or encoder per line. */
public final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;

    private Utf8() {
    }

    /**
     * Writes {@code c}, a character from U+0080 up that is not a surrogate, as its two or three UTF-8 bytes into
     * {@code out} at {@code n}; the index after them. For the copying loops that write ASCII themselves.
     */
    public static int putNonAscii(char c, byte[] out, int n) {
        if (c < 0x800) {
            out[n++] = (byte) (0xc0 | c >> 6);
        } else {
            out[n++] = (byte) (0xe0 | c >> 12);
            out[n++] = (byte) (0x80 | c >> 6 & 0x3f);
        }
        out[n++] = (byte) (0x80 | c & 0x3f);
        return n;
    }

    /**
     * Index of the first byte in {@code b[from, end)} that a JSON string cannot hold as it is (not ASCII, a control
     * character, '"' or '\\'), or {@code end}. Eight bytes at a time: most log text is a long run of such bytes.
     */
    public static int plainJsonEnd(byte[] b, int from, int end) {
        int i = from;
        while (i + Long.BYTES <= end) {
            long special = jsonSpecial(word(b, i));
            if (special != 0) {
                return i + firstFlagged(special);
            }
            i += Long.BYTES;
        }
        while (i < end && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\') {
            i++;
        }
        return i;
    }

    /**
     * Per byte of {@code w}, its high bit set when a JSON string cannot hold it as it is (see {@link #plainJsonEnd});
     * zero when it can hold all eight. The lowest flagged byte is exact; borrows may flag bytes after it too.
     */
    public static long jsonSpecial(long w) {
        long quote = w ^ ('"' * ONES);
        long backslash = w ^ ('\\' * ONES);
        // Below 0x20, zero after the xor (a quote or backslash), or the high bit.
        return ((w - 0x20 * ONES) & ~w | (quote - ONES) & ~quote | (backslash - ONES) & ~backslash | w) & HIGH_BITS;
    }

    /** Index in its word of the first byte flagged in a non-zero {@link #jsonSpecial} mask. */
    public static int firstFlagged(long special) {
        return Long.numberOfTrailingZeros(special) >>> 3;
    }

    /** The eight bytes of {@code b} from {@code i}, the first in the lowest bits. */
    public static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** Writes {@code w} as eight bytes into {@code b} from {@code i}, as {@link #word} reads them. */
    public static void putWord(byte[] b, int i, long w) {
        LONGS.set(b, i, w);
    }

    /** Whether {@code b[off, off+len)} is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
    static boolean isValid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        // ASCII eight bytes at a time: most log text is ASCII, and a byte at a time was a tenth of parsing a line.
        while (i + Long.BYTES <= end && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
            i += Long.BYTES;
        }
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + need >= end) {
                return false;
            }
            int cp = c & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += need + 1;
        }
        return true;
    }
}

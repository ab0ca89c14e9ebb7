package io.vedetta.bytes;


/** UTF-8 checks, cuts and encoding done on the hot path without a {@code CharsetDecoder} or encoder per line. */
public final class Utf8 {


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
            long special = jsonSpecial(Words.word(b, i));
            if (special != 0) {
                return i + Words.firstFlagged(special);
            }
            i += Long.BYTES;
        }
        while (i < end && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\') {
            i++;
        }
        return i;
    }

    /**
     * Flags the bytes of {@code w} that a JSON string cannot hold as they are (see {@link #plainJsonEnd}): below 0x20,
     * a quote, a backslash or not ASCII; zero when it can hold all eight. As {@link Words#zeroBytes}, only the first
     * flag is exact.
     */
    public static long jsonSpecial(long w) {
        return Words.bytesBelow(w, 0x20) | Words.zeroBytes(w ^ Words.repeated('"'))
                | Words.zeroBytes(w ^ Words.repeated('\\')) | w & Words.HIGH_BITS;
    }

    /** Whether {@code b[off, off+len)} is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
    public static boolean isValid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        // ASCII eight bytes at a time: most log text is ASCII, and a byte at a time was a tenth of parsing a line.
        while (i + Long.BYTES <= end && (Words.word(b, i) & Words.HIGH_BITS) == 0) {
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

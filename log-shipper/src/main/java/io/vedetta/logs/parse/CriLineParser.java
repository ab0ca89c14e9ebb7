package io.vedetta.logs.parse;

import io.vedetta.bytes.Timestamps;
import io.vedetta.bytes.Utf8;
import java.nio.charset.StandardCharsets;

/**
 * The CRI log format written by containerd and CRI-O: {@code <RFC3339Nano time> <stdout|stderr> <P|F> <message>}.
 * The tag field may carry more ':'-separated tags after P or F; only the first one matters.
 */
final class CriLineParser {

    private static final byte[] STDOUT = "stdout".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STDERR = "stderr".getBytes(StandardCharsets.US_ASCII);

    /** The parsed line, or null when the line is not CRI; {@code times} is the file's. */
    Piece parse(byte[] b, int off, int len, long startOffset, long endOffset, Timestamps.Parser times) {
        int end = off + len;
        int sp1 = indexOf(b, off, end, (byte) ' ');
        if (sp1 < 0) {
            return null;
        }
        long epochNanos = times.parse(b, off, sp1 - off);
        if (epochNanos == Timestamps.INVALID) {
            return null;
        }
        int sp2 = indexOf(b, sp1 + 1, end, (byte) ' ');
        if (sp2 < 0) {
            return null;
        }
        LogStream stream;
        if (equals(b, sp1 + 1, sp2, STDOUT)) {
            stream = LogStream.STDOUT;
        } else if (equals(b, sp1 + 1, sp2, STDERR)) {
            stream = LogStream.STDERR;
        } else {
            return null;
        }
        int tagStart = sp2 + 1;
        if (tagStart >= end) {
            return null;
        }
        int sp3 = indexOf(b, tagStart, end, (byte) ' ');
        int tagEnd = sp3 < 0 ? end : sp3;
        byte tag = b[tagStart];
        if ((tag != 'P' && tag != 'F') || (tagEnd > tagStart + 1 && b[tagStart + 1] != ':')) {
            return null;
        }
        int msgStart = sp3 < 0 ? end : sp3 + 1;
        int msgLen = end - msgStart;
        boolean valid = Utf8.isValid(b, msgStart, msgLen);
        return new Piece(epochNanos, stream, LogFormat.CRI, tag == 'P', Utf8Text.decode(b, msgStart, msgLen, valid),
                startOffset, endOffset, 1, valid ? 0 : Piece.bit(LogFlag.INVALID_UTF8));
    }

    private static int indexOf(byte[] b, int from, int end, byte value) {
        for (int i = from; i < end; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static boolean equals(byte[] b, int from, int to, byte[] expected) {
        if (to - from != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (b[from + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}

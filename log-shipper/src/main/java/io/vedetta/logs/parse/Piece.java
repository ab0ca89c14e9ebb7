package io.vedetta.logs.parse;

/**
 * A line or a merge of lines on its way through the parse stage (decoder, partial merger, multiline joiner).
 * {@code startOffset} identifies it (for the record id) and is also where re-reading must start to produce
 * it again; {@code endOffset} is the file position after the last line it completely consumed.
 * {@code text} refers to the bytes of the line it was read in; {@code flags} is a bit set of {@link LogFlag}
 * ordinals, cheaper than an EnumSet per line.
 */
record Piece(
        long epochNanos,
        LogStream stream,
        LogFormat format,
        boolean partial,
        Utf8Text text,
        long startOffset,
        long endOffset,
        int lines,
        int flags) {

    /** Length of the text in UTF-8 bytes, what {@code logs.maxLineBytes} limits. */
    int bytes() {
        return text.length();
    }

    static int bit(LogFlag flag) {
        return 1 << flag.ordinal();
    }

    boolean has(LogFlag flag) {
        return (flags & bit(flag)) != 0;
    }
}

package io.vedetta.logs.parse;

import java.util.Arrays;

/**
 * Pieces of one stream being merged into one: the first piece gives the timestamp and the id offset, the
 * last gives the end offset. The text is only copied once a second piece arrives, since most merges are
 * a single piece.
 */
final class Accumulator {

    private final byte[] separator;
    private Piece first;
    /** The merged text so far, from the second piece on; handed to the merged piece, not copied. */
    private byte[] text;
    private int bytes;
    private int lines;
    private int flags;
    private long endOffset;

    /** @param separator put between pieces: "" for partial lines, "\n" for the lines of a multiline record */
    Accumulator(String separator) {
        this.separator = Utf8Text.of(separator).bytes();
    }

    boolean isEmpty() {
        return first == null;
    }

    /** Where re-reading must start to rebuild what is held; {@link Long#MAX_VALUE} when nothing is. */
    long resumeOffset() {
        return first == null ? Long.MAX_VALUE : first.startOffset();
    }

    int lines() {
        return lines;
    }

    boolean fits(Piece next, int maxBytes) {
        return (long) bytes + separator.length + next.bytes() <= maxBytes;
    }

    void start(Piece piece) {
        first = piece;
        text = null;
        bytes = piece.bytes();
        lines = piece.lines();
        flags = piece.flags();
        endOffset = piece.endOffset();
    }

    void append(Piece piece) {
        int merged = bytes + separator.length + piece.bytes();
        if (text == null) {
            text = new byte[merged];
            put(0, first.text());
        } else if (text.length < merged) {
            text = Arrays.copyOf(text, Math.max(merged, 2 * text.length));
        }
        System.arraycopy(separator, 0, text, bytes, separator.length);
        put(bytes + separator.length, piece.text());
        bytes = merged;
        lines += piece.lines();
        flags |= piece.flags();
        endOffset = piece.endOffset();
    }

    private void put(int at, Utf8Text piece) {
        System.arraycopy(piece.bytes(), piece.offset(), text, at, piece.length());
    }

    /** The merged piece, complete (not partial), with {@code extraFlags} added; empties the accumulator. */
    Piece take(int extraFlags) {
        Piece merged = new Piece(first.epochNanos(), first.stream(), first.format(), false,
                text == null ? first.text() : new Utf8Text(text, 0, bytes), first.startOffset(), endOffset, lines,
                flags | extraFlags);
        first = null;
        text = null;
        return merged;
    }
}

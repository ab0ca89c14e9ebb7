package io.vedetta.logs.parse;

/**
 * Pieces of one stream being merged into one: the first piece gives the timestamp and the id offset, the
 * last gives the end offset. The text is only copied once a second piece arrives, since most merges are
 * a single piece.
 */
final class Accumulator {

    private final String separator;
    private Piece first;
    private StringBuilder text;
    private int bytes;
    private int lines;
    private int flags;
    private long endOffset;

    /** @param separator put between pieces: "" for partial lines, "\n" for the lines of a multiline record */
    Accumulator(String separator) {
        this.separator = separator;
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
        return (long) bytes + separator.length() + next.bytes() <= maxBytes;
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
        if (text == null) {
            text = new StringBuilder(first.message().length() + separator.length() + piece.message().length());
            text.append(first.message());
        }
        text.append(separator).append(piece.message());
        bytes += separator.length() + piece.bytes();
        lines += piece.lines();
        flags |= piece.flags();
        endOffset = piece.endOffset();
    }

    /** The merged piece, complete (not partial), with {@code extraFlags} added; empties the accumulator. */
    Piece take(int extraFlags) {
        Piece merged = new Piece(first.time(), first.epochNanos(), first.stream(), first.format(), false,
                text == null ? first.message() : text.toString(), bytes, first.startOffset(), endOffset, lines,
                flags | extraFlags);
        first = null;
        text = null;
        return merged;
    }
}

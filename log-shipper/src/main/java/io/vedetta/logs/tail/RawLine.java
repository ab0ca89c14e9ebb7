package io.vedetta.logs.tail;

import io.vedetta.logs.record.Acknowledgement;
import io.vedetta.logs.record.RecordId;

import java.nio.file.Path;

/**
 * One line of a tailed file as read, before any parsing: the bytes between two newlines (the newline not
 * included). {@code endOffset} is the offset just past the newline, i.e. where the next line starts;
 * {@code ending} says whether the line really ended there (see {@link Ending}).
 *
 * <p>{@link #id()} is stable across restarts and re-reads (device, inode, fingerprint of the first bytes and
 * {@code startOffset}), so a sink can use it as a document id for idempotent writes. Lines carry only its
 * {@code idPrefix}, shared by the lines of a file, and the text is made where a record needs it. {@code ack} must be
 * called exactly once when the record built from this line is delivered, or deliberately dropped; the
 * file's saved position moves past the line only then, and only once every earlier line is acknowledged.
 * {@code bytes} is owned by the receiver; the tailer never touches it again.
 */
public record RawLine(
        FileKey file,
        Path path,
        long startOffset,
        long endOffset,
        byte[] bytes,
        Ending ending,
        String idPrefix,
        Acknowledgement ack) {

    /** The id of the record this line makes on its own: {@code idPrefix} and {@code startOffset}. */
    public RecordId id() {
        return RecordId.ofLine(idPrefix, startOffset, 0);
    }

    /** How the bytes of a line end. */
    public enum Ending {
        /** At a newline: a whole line. */
        NEWLINE,
        /** Cut at {@code logs.maxLineBytes} ({@code logs.longLines: split}); the next RawLine continues it. */
        CONTINUED,
        /** Cut at {@code logs.maxLineBytes} ({@code logs.longLines: truncate}); the rest was dropped. */
        TRUNCATED,
        /** At the end of a file that will not grow any more (rotated away, or a rotated copy), without newline. */
        UNTERMINATED
    }
}

package io.vedetta.logs.tail;

import io.vedetta.logs.record.Acknowledgement;
import io.vedetta.logs.record.RecordId;

import java.nio.file.Path;

/**
 * One line of a tailed file as read, before any parsing: the bytes between two newlines (the newline not
 * included). {@code endOffset} is where the next line starts: just past the newline; at the end of a file that
 * will not grow any more, its end; for a line longer than the tailer's read limit, cut there, past the dropped rest.
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
        String idPrefix,
        Acknowledgement ack) {

    /** The id of the record this line makes on its own: {@code idPrefix} and {@code startOffset}. */
    public RecordId id() {
        return RecordId.ofLine(idPrefix, startOffset, 0);
    }
}

package io.vedetta.logs.parse;

import java.util.Set;

/**
 * One record out of the parse stage: a line, a merge of partial lines, a multiline record or one piece of a
 * split line.
 *
 * @param epochNanos   the record's time (of its first line) in nanoseconds since the epoch: as the runtime wrote
 *                     it, or for an unparsed line when it was read
 * @param text         the message, partial lines concatenated, multiline lines joined with "\n", no trailing
 *                     newline
 * @param json         the message's fields when {@code logs.parseJson} is on and the message is a JSON object;
 *                     null otherwise
 * @param startOffset  file offset that identifies the record (for its idempotent id): the start of its first
 *                     line, plus the piece number for the pieces of a split line
 * @param endOffset    file offset just after the last line the record consumed completely; for a piece of a
 *                     split line other than the last, the start of that line
 * @param commitOffset the position that may be saved once this record and every earlier one are delivered:
 *                     {@code endOffset}, or less while lines read before it are still held for merging (other
 *                     stream, or a split line's other pieces). Never decreases from one record to the next.
 * @param lineCount    number of physical lines that went into the record
 * @param flags        what happened to it on the way (shipped as tags)
 */
public record LogEvent(
        long epochNanos,
        LogStream stream,
        LogFormat format,
        Utf8Text text,
        JsonFields json,
        long startOffset,
        long endOffset,
        long commitOffset,
        int lineCount,
        Set<LogFlag> flags) {

    public LogEvent {
        flags = Set.copyOf(flags);
    }

    /** The message decoded: for tests and for what needs characters; the pipeline itself writes {@link #text}. */
    public String message() {
        return text.toString();
    }

    public boolean has(LogFlag flag) {
        return flags.contains(flag);
    }
}

package io.vedetta.logs.record;

import io.vedetta.bytes.JsonBytes;
import java.util.Objects;

/**
 * A record's stable id. The pipeline's ids are {@code <prefix><line start in hex>}, with {@code +<offset into the
 * line in hex>} for the later pieces of a split line, where the tailer makes the prefix of its file's identity; they
 * are kept as those parts until written, and the Elasticsearch sink writes them straight into the action line:
 * a String per record, built by concatenation, was 7% of the pipeline's allocation. Any other id is its text.
 */
public final class RecordId {

    private final String prefix;
    /** The line's start, or -1 when {@code prefix} is the whole id. */
    private final long lineStart;
    private final long intoLine;

    private RecordId(String prefix, long lineStart, long intoLine) {
        this.prefix = Objects.requireNonNull(prefix, "id");
        this.lineStart = lineStart;
        this.intoLine = intoLine;
    }

    /** An id that is {@code text}. */
    public static RecordId of(String text) {
        return new RecordId(text, -1, 0);
    }

    /**
     * The id of the record {@code intoLine} bytes into the line at {@code lineStart} of the file {@code prefix}
     * names.
     */
    public static RecordId ofLine(String prefix, long lineStart, long intoLine) {
        if (lineStart < 0 || intoLine < 0) {
            throw new IllegalArgumentException("offsets must not be negative: " + lineStart + ", " + intoLine);
        }
        return new RecordId(prefix, lineStart, intoLine);
    }

    /** The text before the offsets; for an id made of text, all of it. */
    public String prefix() {
        return prefix;
    }

    /** Appends what follows {@link #prefix()}, in ASCII: the offsets in hexadecimal, or nothing. */
    public void writeOffsets(JsonBytes out) {
        if (lineStart < 0) {
            return;
        }
        out.writeHex(lineStart);
        if (intoLine != 0) {
            out.write('+');
            out.writeHex(intoLine);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordId other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        if (lineStart < 0) {
            return prefix;
        }
        String line = prefix + Long.toHexString(lineStart);
        return intoLine == 0 ? line : line + "+" + Long.toHexString(intoLine);
    }
}

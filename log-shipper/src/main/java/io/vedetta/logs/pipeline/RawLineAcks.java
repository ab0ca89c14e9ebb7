package io.vedetta.logs.pipeline;

import io.vedetta.logs.buffer.Acknowledgement;
import io.vedetta.logs.buffer.OrderedFinalizer;
import io.vedetta.logs.tail.RawLine;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Joins the two kinds of acknowledgement of one file. The tailer wants every raw line acknowledged; the
 * parse stage emits records (merged partials, joined stack traces, split pieces) that each say up to which
 * offset the file may be committed once they are delivered ({@code commitOffset}). Records are registered
 * in emission order; when the longest delivered prefix reaches an offset, every raw line ending at or
 * before it is acknowledged to the tailer, which then moves the saved position.
 */
final class RawLineAcks {

    private final ConcurrentSkipListMap<Long, Line> pending = new ConcurrentSkipListMap<>();
    private final OrderedFinalizer<Long> records = new OrderedFinalizer<>(this::commitUpTo);

    void add(RawLine line) {
        pending.put(line.startOffset(), new Line(line.endOffset(), line.id(), line.ack()));
    }

    /** The acknowledgement of one emitted record that may commit up to {@code commitOffset}. */
    Acknowledgement register(long commitOffset) {
        return records.register(commitOffset);
    }

    /**
     * The id of the record starting at {@code startOffset}: the raw line's own id when the record starts
     * with a line, and that id with the offset into the line for the later pieces of a split line.
     */
    String idOf(long startOffset) {
        Map.Entry<Long, Line> line = pending.floorEntry(startOffset);
        if (line == null) {
            throw new IllegalStateException("no unacknowledged line holds offset " + startOffset);
        }
        long intoLine = startOffset - line.getKey();
        return intoLine == 0 ? line.getValue().id() : line.getValue().id() + "+" + Long.toHexString(intoLine);
    }

    /** For lines that will never become records (an excluded container): all of them count as delivered. */
    void acknowledgeAll() {
        commitUpTo(Long.MAX_VALUE);
    }

    boolean idle() {
        return pending.isEmpty() && records.pending() == 0;
    }

    private void commitUpTo(long offset) {
        Map.Entry<Long, Line> first;
        while ((first = pending.firstEntry()) != null && first.getValue().endOffset() <= offset) {
            if (pending.remove(first.getKey()) != null) {
                first.getValue().ack().acknowledge();
            }
        }
    }

    /**
     * What a line needs until it is committed; not the line's bytes, which would otherwise stay on the heap
     * for as long as a buffer in front of a failing sink holds the line's record.
     */
    private record Line(long endOffset, String id, Acknowledgement ack) {
    }
}

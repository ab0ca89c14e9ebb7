package io.vedetta.logs.pipeline;

import io.micrometer.core.instrument.Counter;
import io.vedetta.logs.record.Acknowledgement;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.tail.RawLine;
import java.util.Arrays;

/**
 * Joins the two kinds of acknowledgement of one file. The tailer wants every raw line acknowledged; the
 * parse stage emits records (merged partials, joined stack traces, split pieces) that each say up to which
 * offset the file may be committed once they are delivered ({@code commitOffset}). Records are registered
 * in emission order; when the longest delivered prefix reaches an offset, every raw line ending at or
 * before it is acknowledged to the tailer, which then moves the saved position.
 *
 * <p>Both queues are rings of primitive offsets: a sorted map entry and a finalizer entry per line and per
 * record were a sixth of the pipeline thread's time and most of the bookkeeping a buffered record keeps on the
 * heap. The pipeline thread adds lines and records; sinks acknowledge from their threads; one lock guards both.
 */
final class RawLineAcks {

    private static final int INITIAL = 64;
    /**
     * A ring larger than this is let go once it empties, so a burst does not pin its memory: a file's rings stay at
     * their largest while it idles (its stage is kept ten minutes): kept up to 16,384 entries, the rings of the log
     * benchmark's three finished files held 1.6 of its 18 MiB of live heap. A file whose lines trickle in never grows
     * past this, so it does not allocate at every emptying.
     */
    private static final int KEPT = 1 << 10;

    private final Counter acknowledged;

    private long[] lineStarts = new long[INITIAL];
    private long[] lineEnds = new long[INITIAL];
    private String[] lineIdPrefixes = new String[INITIAL];
    private Acknowledgement[] lineAcks = new Acknowledgement[INITIAL];
    private int lineHead;
    private int lines;

    private long[] commits = new long[INITIAL];
    private boolean[] delivered = new boolean[INITIAL];
    private int recordHead;
    private int records;
    /** Sequence number of the record at {@code recordHead}: records are numbered in registration order. */
    private long firstRecord;

    /** @param acknowledged counts the file's records as sinks acknowledge them */
    RawLineAcks(Counter acknowledged) {
        this.acknowledged = acknowledged;
    }

    synchronized void add(RawLine line) {
        if (lines == lineStarts.length) {
            growLines();
        }
        int at = (lineHead + lines) & (lineStarts.length - 1);
        lineStarts[at] = line.startOffset();
        lineEnds[at] = line.endOffset();
        lineIdPrefixes[at] = line.idPrefix();
        lineAcks[at] = line.ack();
        lines++;
    }

    /** The acknowledgement of one emitted record that may commit up to {@code commitOffset}. */
    synchronized Acknowledgement register(long commitOffset) {
        if (records == commits.length) {
            growRecords();
        }
        int at = (recordHead + records) & (commits.length - 1);
        commits[at] = commitOffset;
        delivered[at] = false;
        records++;
        return new RecordAck(this, firstRecord + records - 1);
    }

    /**
     * The id of the record starting at {@code startOffset}: the raw line's own id when the record starts
     * with a line, and that id with the offset into the line for the later pieces of a split line.
     */
    synchronized RecordId idOf(long startOffset) {
        // The last pending line that starts at or before the offset; lines are pending in offset order.
        int low = 0;
        int high = lines - 1;
        int found = -1;
        int mask = lineStarts.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (lineStarts[(lineHead + mid) & mask] <= startOffset) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (found < 0) {
            throw new IllegalStateException("no unacknowledged line holds offset " + startOffset);
        }
        int at = (lineHead + found) & mask;
        return RecordId.ofLine(lineIdPrefixes[at], lineStarts[at], startOffset - lineStarts[at]);
    }

    /** For lines that will never become records (an excluded container): all of them count as delivered. */
    synchronized void acknowledgeAll() {
        commitUpTo(Long.MAX_VALUE);
    }

    synchronized boolean idle() {
        return lines == 0 && records == 0;
    }

    private synchronized void delivered(long record) {
        int index = (int) (record - firstRecord);
        int mask = commits.length - 1;
        if (index < 0 || index >= records || delivered[(recordHead + index) & mask]) {
            return;
        }
        delivered[(recordHead + index) & mask] = true;
        acknowledged.increment();
        long committed = -1;
        while (records > 0 && delivered[recordHead]) {
            committed = commits[recordHead];
            recordHead = (recordHead + 1) & mask;
            records--;
            firstRecord++;
        }
        if (records == 0 && commits.length > KEPT) {
            commits = new long[INITIAL];
            delivered = new boolean[INITIAL];
            recordHead = 0;
        }
        if (committed >= 0) {
            commitUpTo(committed);
        }
    }

    private void commitUpTo(long offset) {
        int mask = lineStarts.length - 1;
        while (lines > 0 && lineEnds[lineHead] <= offset) {
            Acknowledgement ack = lineAcks[lineHead];
            lineIdPrefixes[lineHead] = null;
            lineAcks[lineHead] = null;
            lineHead = (lineHead + 1) & mask;
            lines--;
            ack.acknowledge();
        }
        if (lines == 0 && lineStarts.length > KEPT) {
            lineStarts = new long[INITIAL];
            lineEnds = new long[INITIAL];
            lineIdPrefixes = new String[INITIAL];
            lineAcks = new Acknowledgement[INITIAL];
            lineHead = 0;
        }
    }

    private void growLines() {
        int size = lineStarts.length;
        lineStarts = unrolled(lineStarts, lineHead, lines, size * 2);
        lineEnds = unrolled(lineEnds, lineHead, lines, size * 2);
        lineIdPrefixes = unrolled(lineIdPrefixes, lineHead, lines, size * 2);
        lineAcks = unrolled(lineAcks, lineHead, lines, size * 2);
        lineHead = 0;
    }

    private void growRecords() {
        int size = commits.length;
        long[] newCommits = new long[size * 2];
        boolean[] newDelivered = new boolean[size * 2];
        for (int i = 0; i < records; i++) {
            newCommits[i] = commits[(recordHead + i) & (size - 1)];
            newDelivered[i] = delivered[(recordHead + i) & (size - 1)];
        }
        commits = newCommits;
        delivered = newDelivered;
        recordHead = 0;
    }

    private static long[] unrolled(long[] ring, int head, int count, int capacity) {
        long[] out = new long[capacity];
        for (int i = 0; i < count; i++) {
            out[i] = ring[(head + i) & (ring.length - 1)];
        }
        return out;
    }

    private static <T> T[] unrolled(T[] ring, int head, int count, int capacity) {
        T[] out = Arrays.copyOf(ring, capacity);
        Arrays.fill(out, null);
        for (int i = 0; i < count; i++) {
            out[i] = ring[(head + i) & (ring.length - 1)];
        }
        return out;
    }

    /** One record's acknowledgement: the one object a record costs here. Acknowledging twice counts once. */
    private static final class RecordAck implements Acknowledgement {
        private final RawLineAcks owner;
        private final long record;

        RecordAck(RawLineAcks owner, long record) {
            this.owner = owner;
            this.record = record;
        }

        @Override
        public void acknowledge() {
            owner.delivered(record);
        }
    }
}

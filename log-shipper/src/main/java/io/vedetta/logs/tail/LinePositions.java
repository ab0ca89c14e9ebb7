package io.vedetta.logs.tail;

import io.vedetta.logs.record.Acknowledgement;

/**
 * The ordered finalizer of one content generation of a file: every line handed on is registered with the
 * position just past it, acknowledgements arrive in any order, and the committed position moves past the
 * longest acknowledged prefix, so the saved position is never ahead of an undelivered line.
 *
 * <p>Rings of primitives (end offset, hash of the bytes before it, acknowledged flag) rather than a position
 * and a queue entry per line: the tailer registers every line it reads, and those objects lived until the
 * line's record was delivered. Lines are mostly acknowledged one at a time, so a {@link Position} is made only
 * when the committed position is read (for the state file), not at each commit.
 *
 * <p>Thread-safe: the tailer's reader thread registers, sinks acknowledge from theirs. The callback runs under
 * this object's lock, in commit order, so it must be cheap.
 */
final class LinePositions {

    private static final int INITIAL = 64;
    /**
     * A ring larger than this is let go once it empties, so a burst does not pin its memory: a file's rings stay at
     * their largest while it idles (its stage is kept ten minutes): kept up to 16,384 entries, the rings of the log
     * benchmark's three finished files held 1.6 of its 18 MiB of live heap. A file whose lines trickle in never grows
     * past this, so it does not allocate at every emptying.
     */
    private static final int KEPT = 1 << 10;

    private final Runnable onCommit;
    private long[] ends = new long[INITIAL];
    private long[] tailHashes = new long[INITIAL];
    private boolean[] acknowledged = new boolean[INITIAL];
    private int head;
    private int count;
    /** Sequence number of the line at {@code head}: lines are numbered in registration order. */
    private long first;
    private long committedEnd;
    private int committedTailLength;
    private long committedTailHash;

    /** Starts committed at {@code start}; {@code onCommit} runs each time the committed position moves. */
    LinePositions(Position start, Runnable onCommit) {
        this.committedEnd = start.offset();
        this.committedTailLength = start.tailLength();
        this.committedTailHash = start.tailHash();
        this.onCommit = onCommit;
    }

    synchronized Position committed() {
        return new Position(committedEnd, committedTailLength, committedTailHash);
    }

    /**
     * Registers the next line, which ends at {@code end}; {@code tailHash} hashes the
     * {@code min(TAIL_BYTES, end)} bytes before {@code end}.
     */
    synchronized Acknowledgement register(long end, long tailHash) {
        if (ends == null) {
            allocate();
        } else if (count == ends.length) {
            grow();
        }
        int at = (head + count) & (ends.length - 1);
        ends[at] = end;
        tailHashes[at] = tailHash;
        acknowledged[at] = false;
        count++;
        return new LineAck(this, first + count - 1);
    }

    /** Lines registered but not yet part of a committed prefix. */
    synchronized int pending() {
        return count;
    }

    private synchronized void acknowledged(long line) {
        long index = line - first;
        int mask = ends.length - 1;
        if (index < 0 || index >= count || acknowledged[(int) ((head + index) & mask)]) {
            return;
        }
        acknowledged[(int) ((head + index) & mask)] = true;
        int last = -1;
        while (count > 0 && acknowledged[head]) {
            last = head;
            head = (head + 1) & mask;
            count--;
            first++;
        }
        if (last < 0) {
            return;
        }
        committedEnd = ends[last];
        committedTailLength = (int) Math.min(TailedFile.TAIL_BYTES, committedEnd);
        committedTailHash = tailHashes[last];
        if (count == 0 && ends.length > KEPT) {
            allocate();
        }
        onCommit.run();
    }

    /**
     * Lets go of the rings while no line waits for its acknowledgement, for a file closed until its next turn
     * ({@code logs.maxOpenFiles}); they are made again by the next {@link #register}.
     */
    synchronized void trim() {
        if (count == 0) {
            ends = null;
            tailHashes = null;
            acknowledged = null;
            head = 0;
        }
    }

    private void allocate() {
        ends = new long[INITIAL];
        tailHashes = new long[INITIAL];
        acknowledged = new boolean[INITIAL];
        head = 0;
    }

    private void grow() {
        int size = ends.length;
        long[] newEnds = new long[size * 2];
        long[] newHashes = new long[size * 2];
        boolean[] newAcknowledged = new boolean[size * 2];
        for (int i = 0; i < count; i++) {
            int from = (head + i) & (size - 1);
            newEnds[i] = ends[from];
            newHashes[i] = tailHashes[from];
            newAcknowledged[i] = acknowledged[from];
        }
        ends = newEnds;
        tailHashes = newHashes;
        acknowledged = newAcknowledged;
        head = 0;
    }

    /** One line's acknowledgement: the one object a line costs here. Acknowledging twice counts once. */
    private static final class LineAck implements Acknowledgement {
        private final LinePositions owner;
        private final long line;

        LineAck(LinePositions owner, long line) {
            this.owner = owner;
            this.line = line;
        }

        @Override
        public void acknowledge() {
            owner.acknowledged(line);
        }
    }
}

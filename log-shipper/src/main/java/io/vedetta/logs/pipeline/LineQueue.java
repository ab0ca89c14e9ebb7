package io.vedetta.logs.pipeline;

import io.vedetta.logs.tail.LineConsumer;
import io.vedetta.logs.tail.RawLine;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lines read ahead of the parse stage, bounded in lines ({@code logs.queueLines}) and in bytes
 * ({@code logs.queueBytes}): 2,048 lines of 4 MiB are 8 GiB, so a count alone bounds nothing. A line is taken
 * when both bounds hold, or whatever its size when the queue is empty, so a line longer than the byte bound still
 * passes, one at a time. When full, {@link #offer} waits and then says no; the tailer keeps the line and pauses.
 */
final class LineQueue implements LineConsumer {

    private final int maxLines;
    private final long maxBytes;
    private final ArrayDeque<RawLine> lines = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private long bytes;

    LineQueue(int maxLines, long maxBytes) {
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean offer(RawLine line, long timeout, TimeUnit unit) throws InterruptedException {
        long size = line.bytes().length;
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (!lines.isEmpty() && (lines.size() >= maxLines || bytes + size > maxBytes)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            lines.addLast(line);
            bytes += size;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest line, waiting up to {@code timeout} for one; null when none came. */
    RawLine poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (lines.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            RawLine line = lines.pollFirst();
            bytes -= line.bytes().length;
            notFull.signal();
            return line;
        } finally {
            lock.unlock();
        }
    }

    /** Moves up to {@code max} queued lines to {@code out} without waiting; how many it moved. */
    int drainTo(Collection<RawLine> out, int max) {
        lock.lock();
        try {
            int n = 0;
            while (n < max && !lines.isEmpty()) {
                RawLine line = lines.pollFirst();
                bytes -= line.bytes().length;
                out.add(line);
                n++;
            }
            if (n > 0) {
                notFull.signal();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of the lines queued now. */
    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}

package io.vedetta.logs.parse;

import io.vedetta.logs.parse.ParseMetrics.FlushReason;
import java.util.function.Consumer;

/**
 * Merges the partial lines of one stream (CRI {@code P}, docker entries without a trailing newline) up to
 * their final line. A merge that would exceed {@code logs.maxLineBytes} is emitted first; one whose final
 * line has not come within {@code logs.partialFlushTimeout} of its first line is emitted as it is.
 */
final class PartialMerger {

    private final Accumulator held = new Accumulator("");
    private final int maxBytes;
    private final long timeoutMillis;
    private final ParseMetrics metrics;
    private long deadline = Long.MAX_VALUE;

    PartialMerger(ParseConfig config, ParseMetrics metrics) {
        this.maxBytes = config.maxLineBytes();
        this.timeoutMillis = config.partialFlushTimeout().toMillis();
        this.metrics = metrics;
    }

    void add(Piece piece, long nowMillis, Consumer<Piece> out) {
        if (!held.isEmpty()) {
            if (held.fits(piece, maxBytes)) {
                held.append(piece);
                if (!piece.partial()) {
                    deadline = Long.MAX_VALUE;
                    metrics.partialMerges.increment();
                    out.accept(held.take(0));
                }
                return;
            }
            flush(FlushReason.SIZE, out);
        }
        if (piece.partial()) {
            held.start(piece);
            deadline = nowMillis + timeoutMillis;
        } else {
            out.accept(piece);
        }
    }

    void flushIfExpired(long nowMillis, Consumer<Piece> out) {
        if (nowMillis >= deadline) {
            flush(FlushReason.TIMEOUT, out);
        }
    }

    void flush(FlushReason reason, Consumer<Piece> out) {
        if (!held.isEmpty()) {
            metrics.partialFlush(reason);
            metrics.partialMerges.increment();
            deadline = Long.MAX_VALUE;
            LogFlag flag = reason == FlushReason.SIZE ? LogFlag.MERGE_LIMIT : LogFlag.PARTIAL_INCOMPLETE;
            out.accept(held.take(Piece.bit(flag)));
        }
    }

    long deadline() {
        return deadline;
    }

    long resumeOffset() {
        return held.resumeOffset();
    }
}

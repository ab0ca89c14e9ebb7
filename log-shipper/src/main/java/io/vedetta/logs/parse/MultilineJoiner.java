package io.vedetta.logs.parse;

import io.vedetta.logs.parse.ParseMetrics.FlushReason;
import java.util.function.Consumer;

/**
 * Joins the complete lines of one stream into multiline records (stack traces) with "\n" between them.
 * A record is emitted when a line that does not continue it arrives, when it reaches
 * {@code logs.multiline.maxLines} or {@code logs.maxLineBytes}, or after {@code logs.multiline.flushTimeout}
 * without a new line. In mode {@code NONE} every line passes straight through.
 */
final class MultilineJoiner {

    private final MultilineRule rule;
    private final Accumulator held = new Accumulator("\n");
    private final int maxBytes;
    private final int maxLines;
    private final long timeoutMillis;
    private final ParseMetrics metrics;
    private long deadline = Long.MAX_VALUE;

    private MultilineJoiner(MultilineRule rule, ParseConfig config, ParseMetrics metrics) {
        this.rule = rule;
        this.maxBytes = config.maxLineBytes();
        this.maxLines = config.multilineMaxLines();
        this.timeoutMillis = config.multilineFlushTimeout().toMillis();
        this.metrics = metrics;
    }

    /** A joiner for one stream; the start pattern of {@code config} is used for mode {@code REGEX}. */
    static MultilineJoiner forMode(MultilineMode mode, ParseConfig config, ParseMetrics metrics) {
        MultilineRule rule = mode == MultilineMode.NONE ? null
                : MultilineRule.forMode(mode, config.multilineStartPattern());
        return new MultilineJoiner(rule, config, metrics);
    }

    void add(Piece piece, long nowMillis, Consumer<Piece> out) {
        if (rule == null) {
            out.accept(piece);
            return;
        }
        boolean continues = rule.continues(piece.text().toString());
        if (!held.isEmpty()) {
            if (continues && held.lines() < maxLines && held.fits(piece, maxBytes)) {
                held.append(piece);
                deadline = nowMillis + timeoutMillis;
                return;
            }
            countJoin();
            Piece done;
            if (continues) {
                metrics.multilineFlush(held.lines() >= maxLines ? FlushReason.LINES : FlushReason.SIZE);
                done = held.take(Piece.bit(LogFlag.MERGE_LIMIT));
            } else {
                done = held.take(0);
            }
            // Held before the finished record goes out: the piece may carry older lines (a partial merge), and
            // the finished record's commit offset must not pass them.
            held.start(piece);
            deadline = nowMillis + timeoutMillis;
            out.accept(done);
            return;
        }
        held.start(piece);
        deadline = nowMillis + timeoutMillis;
    }

    private void countJoin() {
        if (held.lines() > 1) {
            metrics.multilineJoins.increment();
        }
    }

    void flushIfExpired(long nowMillis, Consumer<Piece> out) {
        if (nowMillis >= deadline) {
            flush(FlushReason.TIMEOUT, out);
        }
    }

    void flush(FlushReason reason, Consumer<Piece> out) {
        deadline = Long.MAX_VALUE;
        if (!held.isEmpty()) {
            metrics.multilineFlush(reason);
            countJoin();
            out.accept(held.take(0));
        }
    }

    long deadline() {
        return deadline;
    }

    long resumeOffset() {
        return held.resumeOffset();
    }
}

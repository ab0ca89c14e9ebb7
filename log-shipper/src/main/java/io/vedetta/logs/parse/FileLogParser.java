package io.vedetta.logs.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vedetta.logs.parse.ParseMetrics.FlushReason;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parse stage of one container log file: decode each line (CRI or docker json-file), merge partial lines
 * and join multiline records per stream, and hand complete {@link LogEvent}s to the consumer, synchronously,
 * on the caller's thread. Not thread-safe: one instance per file, driven by that file's reader.
 *
 * <p>Lines are held while a merge is incomplete; the reader must call {@link #flushExpired()} at or after
 * {@link #nextDeadline()} (and {@link #flushAll()} when the file is finished) so that held lines go out.
 * The arrays of the lines it is given become its own: records refer to their bytes rather than copying them.
 */
public final class FileLogParser {

    private static final Logger LOG = LoggerFactory.getLogger(FileLogParser.class);
    private static final int STREAMS = 2;

    private final String file;
    private final ParseConfig config;
    private final ParseMetrics metrics;
    /** The parsing thread's copier; a thread may parse several files, one after another. */
    private final ThreadLocal<JsonObjectCopier> json;
    /** {@link #json}'s copier for {@link #copierThread}, so that it is looked up once, not per line. */
    private JsonObjectCopier copier;
    private Thread copierThread;
    private final Clock clock;
    private final Consumer<LogEvent> out;
    private final LineDecoder decoder;
    private final Consumer<Piece> emit = this::emit;
    private final StreamStages[] streams = new StreamStages[STREAMS];
    private long now;
    /** End offset of the last line processed completely: every line before it is emitted or held. */
    private long consumed;
    private boolean jsonErrorLogged;
    private boolean oversizeLogged;
    private boolean invalidUtf8Logged;

    FileLogParser(String file, ParseConfig config, MultilineMode mode, FormatDetector detector,
            ThreadLocal<JsonObjectCopier> json, ParseMetrics metrics, Clock clock, Consumer<LogEvent> out) {
        this.file = file;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.out = out;
        this.decoder = new LineDecoder(file, detector, metrics);
        for (int s = 0; s < STREAMS; s++) {
            streams[s] = new StreamStages(new PartialMerger(config, metrics),
                    MultilineJoiner.forMode(mode, config, metrics));
        }
    }

    /** The file's format, once its first parseable line has decided it. */
    public Optional<LogFormat> format() {
        return Optional.ofNullable(decoder.format());
    }

    /**
     * One line in {@code buf[off, off+len)}, without its '\n', that began at {@code startOffset} of the file; the next
     * starts at {@code endOffset} (just after the '\n', or past the rest the reader dropped of a truncated line).
     */
    public void accept(byte[] buf, int off, int len, long startOffset, long endOffset) {
        // Milliseconds, not an Instant: this runs for every line, and only an unparsed line needs the finer time.
        now = clock.millis();
        Piece piece = decoder.decode(buf, off, len, startOffset, endOffset, clock);
        if (piece.has(LogFlag.INVALID_UTF8)) {
            metrics.invalidUtf8.increment();
            if (!invalidUtf8Logged) {
                LOG.info("{}: line at offset {} has invalid UTF-8, replaced by U+FFFD (further ones are only counted)",
                        file, startOffset);
                invalidUtf8Logged = true;
            }
        }
        if (piece.bytes() > config.maxLineBytes()) {
            oversize(piece);
        } else if (piece.format() == LogFormat.UNPARSED) {
            emit(piece);
        } else {
            StreamStages stages = streams[piece.stream().ordinal()];
            stages.merger.add(piece, now, stages.toJoiner);
        }
        consumed = endOffset;
    }

    /** Emits the merges and multiline records whose timeout has passed. */
    public void flushExpired() {
        now = clock.millis();
        for (StreamStages stages : streams) {
            stages.merger.flushIfExpired(now, stages.toJoiner);
            stages.joiner.flushIfExpired(now, emit);
        }
    }

    /** Emits everything held: the file is finished (deleted, rotated away) or the shipper is stopping. */
    public void flushAll() {
        now = clock.millis();
        for (StreamStages stages : streams) {
            stages.merger.flush(FlushReason.END, stages.toJoiner);
            stages.joiner.flush(FlushReason.END, emit);
        }
    }

    /** When {@link #flushExpired()} next has something to do; empty while nothing is held. */
    public Optional<Instant> nextDeadline() {
        long next = Long.MAX_VALUE;
        for (StreamStages stages : streams) {
            next = Math.min(next, Math.min(stages.merger.deadline(), stages.joiner.deadline()));
        }
        return next == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(next));
    }

    /**
     * A line longer than {@code logs.maxLineBytes}. Its stream's unfinished partial merge and multiline record go
     * out first, since the line could not be merged into them anyway, so records keep the file's order. Pieces of a split line bypass merging and joining: each is
     * at most the limit already. All but the last piece report the line's start as their end offset, so the
     * saved position never skips a piece that was not yet delivered.
     */
    private void oversize(Piece line) {
        if (line.stream() != LogStream.UNKNOWN) {
            StreamStages stages = streams[line.stream().ordinal()];
            stages.merger.flush(FlushReason.SIZE, stages.toJoiner);
            stages.joiner.flush(FlushReason.SIZE, emit);
        }
        Utf8Text text = line.text();
        int max = config.maxLineBytes();
        if (!oversizeLogged) {
            LOG.warn("{}: line at offset {} has {} bytes, more than logs.maxLineBytes={}; it is {} "
                    + "(further ones are only counted)", file, line.startOffset(), line.bytes(), max,
                    config.oversizeLines() == OversizeAction.TRUNCATE ? "truncated" : "split");
            oversizeLogged = true;
        }
        if (config.oversizeLines() == OversizeAction.TRUNCATE) {
            metrics.truncated.increment();
            emit(piece(line, text.slice(0, text.cut(0, max)), line.startOffset(), line.endOffset(), LogFlag.TRUNCATED));
            return;
        }
        metrics.split.increment();
        int from = 0;
        for (int k = 0; from < text.length(); k++) {
            int to = text.cut(from, max);
            boolean last = to >= text.length();
            emit(piece(line, text.slice(from, to), line.startOffset() + k,
                    last ? line.endOffset() : line.startOffset(), LogFlag.SPLIT));
            from = to;
        }
    }

    private static Piece piece(Piece line, Utf8Text text, long startOffset, long endOffset, LogFlag flag) {
        return new Piece(line.epochNanos(), line.stream(), line.format(), false, text,
                startOffset, endOffset, 1, line.flags() | Piece.bit(flag));
    }

    /**
     * The commit offset is as far as the lines processed so far allow (so that a record emitted by a flush
     * can commit up to the end of the file) but never past a line still held for merging.
     */
    private void emit(Piece piece) {
        long commit = Math.max(consumed, piece.endOffset());
        for (StreamStages stages : streams) {
            commit = Math.min(commit, Math.min(stages.merger.resumeOffset(), stages.joiner.resumeOffset()));
        }
        metrics.records.increment();
        out.accept(new LogEvent(piece.epochNanos(), piece.stream(), piece.format(), piece.text(),
                config.parseJson() ? parseJson(piece) : null, piece.startOffset(), piece.endOffset(), commit,
                piece.lines(), flags(piece.flags())));
    }

    private JsonFields parseJson(Piece piece) {
        try {
            if (copierThread != Thread.currentThread()) {
                copierThread = Thread.currentThread();
                copier = json.get();
            }
            return copier.copy(piece.text());
        } catch (JsonProcessingException e) {
            if (!jsonErrorLogged) {
                LOG.warn("{}: message at offset {} looks like JSON but does not parse ({}); shipping it as text, "
                        + "further ones are only counted", file, piece.startOffset(), e.getOriginalMessage());
                jsonErrorLogged = true;
            }
        }
        metrics.parseError(ParseMetrics.REASON_MESSAGE_JSON);
        return null;
    }

    private static Set<LogFlag> flags(int bits) {
        if (bits == 0) {
            return Set.of();
        }
        EnumSet<LogFlag> set = EnumSet.noneOf(LogFlag.class);
        for (LogFlag flag : LogFlag.values()) {
            if ((bits & Piece.bit(flag)) != 0) {
                set.add(flag);
            }
        }
        return set;
    }

    /** Partial merging feeds multiline joining, separately for stdout and stderr. */
    private final class StreamStages {
        final PartialMerger merger;
        final MultilineJoiner joiner;
        final Consumer<Piece> toJoiner;

        StreamStages(PartialMerger merger, MultilineJoiner joiner) {
            this.merger = merger;
            this.joiner = joiner;
            this.toJoiner = piece -> joiner.add(piece, now, emit);
        }
    }
}

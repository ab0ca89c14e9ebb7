package io.vedetta.logs.parse;

import io.vedetta.bytes.Timestamps;
import io.vedetta.bytes.Utf8;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one line of one file into a {@link Piece}, keeping to the format of the file's first parseable line.
 * A line that fits no format is still returned, flagged {@link LogFlag#UNPARSED}, with its raw text as the
 * message and the read time as its timestamp: garbage never stops a file.
 */
final class LineDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(LineDecoder.class);

    private final String file;
    private final FormatDetector detector;
    private final ParseMetrics metrics;
    private final Timestamps.Parser times = new Timestamps.Parser();
    private LogFormat format;
    private boolean errorLogged;

    LineDecoder(String file, FormatDetector detector, ParseMetrics metrics) {
        this.file = file;
        this.detector = detector;
        this.metrics = metrics;
    }

    /** The file's format once a line has decided it, null before. */
    LogFormat format() {
        return format;
    }

    /** {@code clock} dates a line that fits no format: it has no time of its own, so it gets the time it is read. */
    Piece decode(byte[] b, int off, int len, long startOffset, long endOffset, Clock clock) {
        Piece piece = format == null ? detector.parseAny(b, off, len, startOffset, endOffset, times)
                : detector.parse(format, b, off, len, startOffset, endOffset, times);
        if (piece != null) {
            format = piece.format();
            metrics.line(format);
            return piece;
        }
        String reason = format == null ? ParseMetrics.REASON_UNRECOGNIZED
                : format == LogFormat.CRI ? ParseMetrics.REASON_MALFORMED_CRI : ParseMetrics.REASON_MALFORMED_DOCKER;
        metrics.line(LogFormat.UNPARSED);
        metrics.parseError(reason);
        if (!errorLogged) {
            // The line itself is not logged: log lines can carry secrets.
            LOG.warn("{}: line at offset {} is not {}; shipping it unparsed (reason {}, further ones are only counted)",
                    file, startOffset, format == null ? "CRI or docker json-file" : format.tag(), reason);
            errorLogged = true;
        }
        boolean valid = Utf8.isValid(b, off, len);
        int flags = Piece.bit(LogFlag.UNPARSED) | (valid ? 0 : Piece.bit(LogFlag.INVALID_UTF8));
        Instant read = clock.instant();
        long nowNanos = read.getEpochSecond() * 1_000_000_000L + read.getNano();
        return new Piece(nowNanos, LogStream.UNKNOWN, LogFormat.UNPARSED, false,
                Utf8Text.decode(b, off, len, valid), startOffset, endOffset, 1, flags);
    }
}

package io.vedetta.logs.parse;

import com.fasterxml.jackson.core.JsonFactory;
import io.vedetta.bytes.Timestamps;
import java.util.Optional;

/**
 * Recognises the format of one container log line. A file's format is decided by its first line that parses
 * ({@link LineDecoder} then keeps to it), so a CRI message that happens to look like JSON stays a CRI message.
 */
public final class FormatDetector {

    private final CriLineParser cri = new CriLineParser();
    private final DockerLineParser docker;

    public FormatDetector(JsonFactory json) {
        this.docker = new DockerLineParser(json);
    }

    /** The format {@code line[off, off+len)} parses as, or empty when it fits neither. */
    public Optional<LogFormat> detect(byte[] line, int off, int len) {
        Piece piece = parseAny(line, off, len, 0, 0, new Timestamps.Parser());
        return piece == null ? Optional.empty() : Optional.of(piece.format());
    }

    /** Docker lines start with '{' and CRI lines with a digit, so trying the likelier parser first is cheap. */
    Piece parseAny(byte[] b, int off, int len, long startOffset, long endOffset, Timestamps.Parser times) {
        boolean looksJson = len > 0 && b[off] == '{';
        Piece first = looksJson ? docker.parse(b, off, len, startOffset, endOffset)
                : cri.parse(b, off, len, startOffset, endOffset, times);
        if (first != null) {
            return first;
        }
        return looksJson ? cri.parse(b, off, len, startOffset, endOffset, times)
                : docker.parse(b, off, len, startOffset, endOffset);
    }

    Piece parse(LogFormat format, byte[] b, int off, int len, long startOffset, long endOffset,
            Timestamps.Parser times) {
        return format == LogFormat.CRI ? cri.parse(b, off, len, startOffset, endOffset, times)
                : docker.parse(b, off, len, startOffset, endOffset);
    }
}

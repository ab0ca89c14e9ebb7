package io.vedetta.logs.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vedetta.bytes.Timestamps;
import io.vedetta.bytes.Utf8;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Docker's json-file format: {@code {"log":"text\n","stream":"stdout","time":"2024-…Z"}}. A {@code log} value
 * without its trailing newline is a partial line (docker cuts lines at 16 KiB). Read with the streaming
 * parser: no tree per line.
 */
final class DockerLineParser {

    private final JsonFactory json;

    DockerLineParser(JsonFactory json) {
        this.json = json;
    }

    /** The parsed line, or null when the line is not a docker json-file entry. */
    Piece parse(byte[] b, int off, int len, long startOffset, long endOffset) {
        boolean valid = Utf8.isValid(b, off, len);
        try (JsonParser p = valid ? json.createParser(b, off, len)
                : json.createParser(new String(b, off, len, StandardCharsets.UTF_8))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String log = null;
            String streamName = null;
            String time = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "log" -> log = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "stream" -> streamName = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "time" -> time = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || log == null || time == null) {
                return null;
            }
            LogStream stream = switch (streamName == null ? "" : streamName) {
                case "stdout" -> LogStream.STDOUT;
                case "stderr" -> LogStream.STDERR;
                default -> null;
            };
            long epochNanos = Timestamps.parseEpochNanos(time);
            if (stream == null || epochNanos == Timestamps.INVALID) {
                return null;
            }
            boolean partial = !log.endsWith("\n");
            String message = partial ? log : log.substring(0, log.length() - 1);
            return new Piece(epochNanos, stream, LogFormat.DOCKER, partial, Utf8Text.of(message),
                    startOffset, endOffset, 1, valid ? 0 : Piece.bit(LogFlag.INVALID_UTF8));
        } catch (IOException e) {
            return null;
        }
    }
}

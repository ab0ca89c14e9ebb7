package io.vedetta.logs.testing;

import io.vedetta.logs.parse.FileLogParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Feeds a container log file to a parser the way the tailer does: line by line, with the offset after each '\n'. */
public final class LogFiles {

    private LogFiles() {
    }

    public static byte[] resource(String name) {
        try (InputStream in = LogFiles.class.getResourceAsStream("/logs/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /logs/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feeds every complete line; a last part without '\n' is not a line yet and is left out, as by the tailer. */
    public static void feed(byte[] file, FileLogParser parser) {
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                line(parser, Arrays.copyOfRange(file, start, i), i + 1);
                start = i + 1;
            }
        }
    }

    public static void feed(String lines, FileLogParser parser) {
        feed(lines.getBytes(StandardCharsets.UTF_8), parser);
    }

    /** One complete line, without its '\n'; {@code endOffset} is the offset just after the '\n'. */
    public static void line(FileLogParser parser, byte[] line, long endOffset) {
        parser.accept(line, 0, line.length, endOffset - line.length - 1, endOffset);
    }
}

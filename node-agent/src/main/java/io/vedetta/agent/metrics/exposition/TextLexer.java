package io.vedetta.agent.metrics.exposition;

import io.vedetta.bytes.Words;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the Prometheus text exposition format (version 0.0.4) or OpenMetrics 1.0 as bytes while they arrive, and tells a
 * {@link Listener} what each line holds: a family's help or type, or a sample with the bytes of its name and label
 * set as written, its value and timestamp. It builds no model: the kubelet sources turn the events into client_java
 * snapshots, the pod scraper into series of the write-ahead log, and either can recognise a series it has seen
 * before by its bytes alone, before anything is decoded.
 *
 * <p>A line that cannot be read is reported to {@link Listener#skipped} with its number and the first problem, and
 * reading goes on. A body that ends inside a line was cut short and fails the read ({@link EOFException}): every line
 * of the format ends with a newline, so the rest of the response was lost (a connection closed early, a proxy that
 * gave up) and what came is not the scrape; so is an OpenMetrics body without its closing {@code # EOF}. OpenMetrics
 * timestamps (seconds) are passed in milliseconds, its exemplars and {@code # UNIT} lines are left out. One read at a
 * time; the line buffer is kept from one read to the next.
 */
public final class TextLexer {

    /** The timestamp of a sample written without one. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    /** The two text formats. */
    public enum Format { PROMETHEUS_TEXT, OPENMETRICS }

    /** What a read finds, line by line; the bytes passed are valid only during the call. */
    public interface Listener {

        /** {@code # HELP family text}, the text unescaped. */
        void help(String family, String text);

        /** {@code # TYPE family type}, the type as written; throw {@link IllegalArgumentException} to skip the line. */
        void type(String family, String type);

        /**
         * A sample: its metric name is {@code line[nameFrom, nameTo)}, its label set {@code line[labelsFrom,
         * labelsTo)} braces included (an empty range when it has none; {@link LabelText} reads it), its timestamp in
         * milliseconds or {@link #NO_TIMESTAMP}. Throw {@link IllegalArgumentException} to skip the line.
         */
        void sample(byte[] line, int nameFrom, int nameTo, int labelsFrom, int labelsTo, double value,
                long timestampMillis);

        /** A line that was skipped, and why ({@code line 12: missing value}). */
        void skipped(String problem);

        /**
         * Whether {@code b[from, to)}, which starts with an opening brace and ends with a closing one, is a label
         * set this listener has read whole before, exactly these bytes: then the lexer takes it as the line's label
         * set without scanning it for its end. It asks with the bytes up to the line's last token, which are the
         * label set when the line has no timestamp (a kubelet's lines have none); a line with one never matches,
         * as no label set read whole is followed by a space and more. False by default: every label set scanned.
         */
        default boolean knownLabelSet(byte[] b, int from, int to) {
            return false;
        }
    }

    private static final int BUFFER_BYTES = 1 << 16;
    private static final long QUOTES = Words.repeated('"');
    private static final long BACKSLASHES = Words.repeated('\\');
    private static final long CLOSING_BRACES = Words.repeated('}');

    private byte[] buffer = new byte[BUFFER_BYTES];
    private boolean openMetrics;
    private boolean eof;

    /** Reads {@code in}, in the Prometheus text format, to its end, telling {@code listener} about every line. */
    public void read(InputStream in, Listener listener) throws IOException {
        read(in, listener, Format.PROMETHEUS_TEXT);
    }

    /** Reads {@code in}, in {@code format}, to its end, telling {@code listener} about every line. */
    public void read(InputStream in, Listener listener, Format format) throws IOException {
        openMetrics = format == Format.OPENMETRICS;
        eof = false;
        int length = 0;
        int number = 0;
        boolean end = false;
        while (!end) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                end = true;
            } else {
                length += read;
            }
            int lineStart = 0;
            for (int i = Words.indexOf(buffer, 0, length, '\n'); i >= 0; i = Words.indexOf(buffer, lineStart, length, '\n')) {
                number++;
                line(listener, number, lineStart, i > lineStart && buffer[i - 1] == '\r' ? i - 1 : i);
                lineStart = i + 1;
            }
            if (end && lineStart < length) {
                throw cutShort(buffer, number + 1, lineStart, length);
            }
            System.arraycopy(buffer, lineStart, buffer, 0, length - lineStart);
            length -= lineStart;
        }
        if (openMetrics && !eof) {
            throw new EOFException("the OpenMetrics body ends after line " + number + " without \"# EOF\": the"
                    + " response was cut short");
        }
    }

    /** The body ended inside line {@code number}, which holds {@code b[from, to)}. */
    static EOFException cutShort(byte[] b, int number, int from, int to) {
        int shown = Math.min(to - from, 80);
        return new EOFException("the body ends inside line " + number + " (\""
                + new String(b, to - shown, shown, StandardCharsets.UTF_8).replace("\"", "\\\"")
                + "\" without a newline): the response was cut short");
    }

    private void line(Listener listener, int number, int from, int to) {
        try {
            line(listener, buffer, from, to);
        } catch (IllegalArgumentException e) {
            listener.skipped("line " + number + ": " + e.getMessage());
        }
    }

    private void line(Listener listener, byte[] b, int from, int to) {
        int i = spaces(b, from, to);
        if (i == to) {
            return;
        }
        if (eof) {
            throw new IllegalArgumentException("text after \"# EOF\"");
        }
        if (b[i] == '#') {
            if (openMetrics && to - i == 5 && b[i + 1] == ' ' && b[i + 2] == 'E' && b[i + 3] == 'O' && b[i + 4] == 'F') {
                eof = true;
                return;
            }
            comment(listener, new Cursor(new String(b, i, to - i, StandardCharsets.UTF_8)));
            return;
        }
        int nameEnd = i;
        while (nameEnd < to && isNameChar(b[nameEnd], nameEnd == i, true)) {
            nameEnd++;
        }
        if (nameEnd == i) {
            throw new IllegalArgumentException("expected a metric name at column " + (i - from + 1));
        }
        int nameStart = i;
        i = spaces(b, nameEnd, to);
        int labelsStart = i;
        if (i < to && b[i] == '{') {
            int known = beforeLastToken(b, i, to);
            i = known > i + 1 && b[known - 1] == '}' && listener.knownLabelSet(b, i, known) ? known
                    : labelSetEnd(b, i, to);
        }
        int labelsEnd = i;
        i = spaces(b, i, to);
        int valueEnd = token(b, i, to);
        if (valueEnd == i) {
            throw new IllegalArgumentException("missing value");
        }
        double value = SampleValues.parse(b, i, valueEnd);
        i = spaces(b, valueEnd, to);
        long timestamp = NO_TIMESTAMP;
        if (i < to && !(openMetrics && b[i] == '#')) {
            int timestampEnd = token(b, i, to);
            String ts = new String(b, i, timestampEnd - i, StandardCharsets.UTF_8);
            timestamp = openMetrics ? secondsToMillis(ts) : millis(ts);
            if (timestamp < 0) {
                throw new IllegalArgumentException("timestamp before 1970: " + ts);
            }
            i = spaces(b, timestampEnd, to);
            if (i != to && !(openMetrics && b[i] == '#')) {
                throw new IllegalArgumentException("unexpected text after the timestamp");
            }
        }
        listener.sample(b, nameStart, nameEnd, labelsStart, labelsEnd, value, timestamp);
    }

    private static long millis(String ts) {
        try {
            return Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad timestamp \"" + ts + "\"");
        }
    }

    /** An OpenMetrics timestamp, seconds with a fraction, in whole milliseconds (exactly, as written). */
    private static long secondsToMillis(String ts) {
        try {
            return new BigDecimal(ts).movePointRight(3).setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad timestamp \"" + ts + "\"");
        }
    }

    private void comment(Listener listener, Cursor c) {
        c.next();
        c.spaces();
        String keyword = c.atEnd() ? "" : c.token();
        if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
            return;
        }
        c.spaces();
        String name = c.metricName();
        if (keyword.equals("HELP")) {
            c.spacesOnce();
            listener.help(name, unescapeHelp(c.rest(), openMetrics));
            return;
        }
        c.spaces();
        listener.type(name, c.token());
    }

    /**
     * Where the label set that starts at {@code from} ends (after its closing brace), quoted braces skipped; the
     * end of the line when it is unterminated, which reading it then reports.
     */
    static int labelSetEnd(byte[] b, int from, int to) {
        boolean quoted = false;
        int i = from + 1;
        while (i < to) {
            for (; i + Long.BYTES <= to; i += Long.BYTES) {
                long word = Words.word(b, i);
                long found = Words.zeroBytes(word ^ QUOTES)
                        | Words.zeroBytes(word ^ (quoted ? BACKSLASHES : CLOSING_BRACES));
                if (found != 0) {
                    i += Words.firstFlagged(found);
                    break;
                }
            }
            if (i >= to) {
                break;
            }
            byte ch = b[i];
            if (quoted && ch == '\\') {
                i += 2;
            } else if (ch == '"') {
                quoted = !quoted;
                i++;
            } else if (!quoted && ch == '}') {
                return i + 1;
            } else {
                i++;
            }
        }
        return to;
    }

    /** Where the spaces before the last token of {@code b[from, to)} begin. */
    private static int beforeLastToken(byte[] b, int from, int to) {
        int i = to;
        while (i > from && b[i - 1] != ' ' && b[i - 1] != '\t') {
            i--;
        }
        while (i > from && (b[i - 1] == ' ' || b[i - 1] == '\t')) {
            i--;
        }
        return i;
    }

    static boolean isNameChar(byte ch, boolean first, boolean colonAllowed) {
        return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || colonAllowed && ch == ':'
                || !first && ch >= '0' && ch <= '9';
    }

    static int spaces(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    static int token(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] != ' ' && b[i] != '\t') {
            i++;
        }
        return i;
    }

    /**
     * HELP text escapes only backslash and newline (and, in OpenMetrics, the double quote); any other backslash is
     * kept as written.
     */
    static String unescapeHelp(String raw, boolean openMetrics) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
            if (ch == '\\' && (next == 'n' || next == '\\' || openMetrics && next == '"')) {
                out.append(next == 'n' ? '\n' : next);
                i++;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}

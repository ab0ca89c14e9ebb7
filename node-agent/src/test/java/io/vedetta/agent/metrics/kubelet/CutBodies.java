package io.vedetta.agent.metrics.kubelet;

import java.nio.charset.StandardCharsets;

/** Recorded kubelet bodies changed for the tests of responses cut short: new values, and places to cut. */
final class CutBodies {

    private CutBodies() {
    }

    /** The text body with every finite sample value plus one, so a scrape of it is told apart from the original. */
    static byte[] bumpedValues(byte[] text) {
        String[] lines = new String(text, StandardCharsets.UTF_8).split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int value = valueStart(line);
            if (value >= 0) {
                int end = line.indexOf(' ', value);
                String token = line.substring(value, end < 0 ? line.length() : end);
                try {
                    double v = Double.parseDouble(token);
                    if (Double.isFinite(v)) {
                        lines[n] = line.substring(0, value) + (v + 1) + line.substring(value + token.length());
                    }
                } catch (NumberFormatException e) {
                    // +Inf, NaN and the like stay as they are
                }
            }
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    /** Where the value of a sample line starts, or -1 for comments and blank lines. */
    private static int valueStart(String line) {
        if (line.isBlank() || line.startsWith("#")) {
            return -1;
        }
        int i = line.indexOf('{');
        int space = line.indexOf(' ');
        if (i >= 0 && (space < 0 || i < space)) {
            boolean quoted = false;
            for (i++; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted && ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    quoted = !quoted;
                } else if (!quoted && ch == '}') {
                    break;
                }
            }
            i++;
        } else {
            i = space;
        }
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i < line.length() ? i : -1;
    }

    /** An offset inside the first label value after {@code from}: a cut there ends the body mid-label. */
    static int midLabel(byte[] text, int from) {
        for (int i = from; i < text.length - 4; i++) {
            if (text[i] == '=' && text[i + 1] == '"' && text[i + 2] != '"' && text[i + 3] != '"') {
                return i + 3;
            }
        }
        throw new IllegalArgumentException("no label value after " + from);
    }

    /** An offset inside the first sample value of three or more characters after {@code from}. */
    static int midValue(byte[] text, int from) {
        int lineStart = lineEnd(text, from);
        while (lineStart < text.length) {
            int lineEnd = lineEnd(text, lineStart);
            String line = new String(text, lineStart, lineEnd - 1 - lineStart, StandardCharsets.UTF_8);
            int value = valueStart(line);
            if (value >= 0 && line.length() - value >= 3) {
                return lineStart + line.substring(0, value).getBytes(StandardCharsets.UTF_8).length + 2;
            }
            lineStart = lineEnd;
        }
        throw new IllegalArgumentException("no long enough value after " + from);
    }

    /** The offset just after the first newline at or after {@code from}: a cut there leaves only whole lines. */
    static int lineEnd(byte[] text, int from) {
        int i = from;
        while (i < text.length && text[i] != '\n') {
            i++;
        }
        return Math.min(i + 1, text.length);
    }

    /** An offset inside the first JSON number of three or more digits after {@code from}. */
    static int midNumber(byte[] json, int from) {
        for (int i = from; i < json.length - 4; i++) {
            if (json[i] == ':') {
                int j = i + 1;
                while (j < json.length && json[j] == ' ') {
                    j++;
                }
                if (j + 2 < json.length && isDigit(json[j]) && isDigit(json[j + 1]) && isDigit(json[j + 2])) {
                    return j + 2;
                }
            }
        }
        throw new IllegalArgumentException("no number after " + from);
    }

    /** The offset just after the first JSON object that closes after {@code from} and is followed by a comma. */
    static int afterObject(byte[] json, int from) {
        for (int i = from; i < json.length - 1; i++) {
            if (json[i] == '}' && json[i + 1] == ',') {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no object end after " + from);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}

package io.vedetta.agent.metrics.exposition;

import java.util.Map;

/**
 * A position in a comment line, or in a label set read for the first time: the slow path of {@link TextLexer}, on
 * a String. Label names and values are shared through {@code strings} (one instance of each per read), when given.
 */
final class Cursor {

    private final String s;
    private final Map<String, String> strings;
    private int i;

    Cursor(String text) {
        this(text, null);
    }

    Cursor(String text, Map<String, String> strings) {
        this.s = text;
        this.strings = strings;
    }

    private String shared(String value) {
        if (strings == null) {
            return value;
        }
        String known = strings.putIfAbsent(value, value);
        return known == null ? value : known;
    }

    boolean atEnd() {
        return i >= s.length();
    }

    char peek() {
        return s.charAt(i);
    }

    void next() {
        i++;
    }

    void spaces() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    void spacesOnce() {
        if (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    String rest() {
        String rest = s.substring(Math.min(i, s.length()));
        i = s.length();
        return rest;
    }

    String token() {
        int start = i;
        while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
            i++;
        }
        if (start == i) {
            throw new IllegalArgumentException("missing value");
        }
        return s.substring(start, i);
    }

    String metricName() {
        int start = i;
        while (i < s.length() && isNameChar(s.charAt(i), i == start, true)) {
            i++;
        }
        if (start == i) {
            throw new IllegalArgumentException("expected a metric name at column " + (i + 1));
        }
        return s.substring(start, i);
    }

    /** Reads the label set that starts here (at its opening brace) into {@code out}, in the order written. */
    void labels(LabelText.Pairs out) {
        i++;
        while (true) {
            spaces();
            if (atEnd()) {
                throw new IllegalArgumentException("unterminated label set");
            }
            if (peek() == '}') {
                i++;
                return;
            }
            int start = i;
            while (i < s.length() && isNameChar(s.charAt(i), i == start, false)) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("expected a label name at column " + (i + 1));
            }
            String name = shared(s.substring(start, i));
            spaces();
            expect('=');
            spaces();
            expect('"');
            out.label(name, labelValue());
            spaces();
            if (!atEnd() && peek() == ',') {
                i++;
            } else if (atEnd() || peek() != '}') {
                throw new IllegalArgumentException("expected , or } at column " + (i + 1));
            }
        }
    }

    private String labelValue() {
        for (int j = i; j < s.length(); j++) {
            char ch = s.charAt(j);
            if (ch == '"') {
                String value = shared(s.substring(i, j));
                i = j + 1;
                return value;
            }
            if (ch == '\\') {
                break;
            }
        }
        StringBuilder value = new StringBuilder();
        while (i < s.length()) {
            char ch = s.charAt(i++);
            if (ch == '"') {
                return shared(value.toString());
            }
            if (ch == '\\' && i < s.length()) {
                char next = s.charAt(i++);
                switch (next) {
                    case 'n' -> value.append('\n');
                    case '\\', '"' -> value.append(next);
                    default -> value.append('\\').append(next);
                }
            } else {
                value.append(ch);
            }
        }
        throw new IllegalArgumentException("unterminated label value");
    }

    private void expect(char ch) {
        if (atEnd() || peek() != ch) {
            throw new IllegalArgumentException("expected " + ch + " at column " + (i + 1));
        }
        i++;
    }

    private static boolean isNameChar(char ch, boolean first, boolean colonAllowed) {
        return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || colonAllowed && ch == ':'
                || !first && ch >= '0' && ch <= '9';
    }
}

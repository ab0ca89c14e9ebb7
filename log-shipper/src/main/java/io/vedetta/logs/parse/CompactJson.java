package io.vedetta.logs.parse;

import java.util.Arrays;

/**
 * The fast way of {@link JsonObjectCopier}: one pass over a message's characters that writes the object compactly
 * in UTF-8, for the messages where that is provably what copying Jackson's tokens writes. Strings and keys without
 * escapes come out as their characters; integers as their digits (except {@code -0}, which Jackson reads as 0);
 * floats go through {@code double} exactly as Jackson's do. Everything else (an escape, a key twice in an object,
 * anything that is not strict JSON, non-finite floats, very long numbers, deep nesting, surrogates, which Jackson
 * writes as escapes)
 * returns null, and Jackson's way decides, so documents are the same either way. Most log messages are escape-free
 * compact JSON: Jackson made a parser (a dozen objects) per message and went token by token, the largest single
 * cost of the pipeline thread.
 *
 * <p>Not thread-safe: one per {@link JsonObjectCopier}, which keeps its buffers from message to message.
 */
final class CompactJson {

    private static final int MAX_DEPTH = 64;
    private static final int MAX_KEYS = 256;
    /** Jackson limits numbers to 1000 characters; longer ones than this are left to it. */
    private static final int MAX_NUMBER_CHARS = 64;

    private char[] in = new char[256];
    private int end;
    private int pos;
    private byte[] out = new byte[512];
    private int size;
    /** Per nesting level: the keys of the object open there, as start and length in {@code in}, and hashes. */
    private final int[][] keyStarts = new int[MAX_DEPTH][];
    private final int[][] keyLengths = new int[MAX_DEPTH][];
    private final int[][] keyHashes = new int[MAX_DEPTH][];

    /** The object's compact UTF-8 form, or null when Jackson's way has to decide. */
    byte[] copy(String message) {
        end = message.length();
        if (in.length < end) {
            in = new char[Math.max(end, in.length * 2)];
        }
        message.getChars(0, end, in, 0);
        pos = 0;
        size = 0;
        ensureForRest();
        skipWhitespace();
        if (pos >= end || in[pos] != '{' || !container(0, '}')) {
            return null;
        }
        skipWhitespace();
        return pos == end ? Arrays.copyOf(out, size) : null;
    }

    private boolean value(int depth) {
        if (pos >= end) {
            return false;
        }
        char c = in[pos];
        return switch (c) {
            case '{' -> container(depth, '}');
            case '[' -> container(depth, ']');
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> (c == '-' || (c >= '0' && c <= '9')) && number();
        };
    }

    /** At '{' or '[': the members up to {@code close}, key and value in an object, a value in an array. */
    private boolean container(int depth, char close) {
        if (depth == MAX_DEPTH) {
            return false;
        }
        write(in[pos++]);
        skipWhitespace();
        if (pos < end && in[pos] == close) {
            pos++;
            write(close);
            return true;
        }
        int members = 0;
        while (true) {
            if (!(close == '}' ? member(depth, members++) : value(depth + 1))) {
                return false;
            }
            skipWhitespace();
            if (pos >= end) {
                return false;
            }
            char c = in[pos++];
            if (c == close) {
                write(close);
                return true;
            }
            if (c != ',') {
                return false;
            }
            write(',');
            skipWhitespace();
        }
    }

    /** The {@code index}-th key of the object open at {@code depth}, and its value. */
    private boolean member(int depth, int index) {
        if (pos >= end || in[pos] != '"' || index == MAX_KEYS) {
            return false;
        }
        int keyStart = pos + 1;
        if (!string() || !newKey(depth, index, keyStart, pos - 1 - keyStart)) {
            return false;
        }
        skipWhitespace();
        if (pos >= end || in[pos] != ':') {
            return false;
        }
        pos++;
        write(':');
        skipWhitespace();
        return value(depth + 1);
    }

    /** False when the object open at {@code depth} has the key already: Jackson's way keeps the last value. */
    private boolean newKey(int depth, int index, int start, int length) {
        // Hashed here rather than while copying: values, most of the characters, need no hash.
        int hash = 0;
        for (int i = start; i < start + length; i++) {
            hash = 31 * hash + in[i];
        }
        int[] starts = keyStarts[depth];
        if (starts == null || starts.length == index) {
            int capacity = starts == null ? 16 : starts.length * 2;
            keyStarts[depth] = starts = starts == null ? new int[capacity] : Arrays.copyOf(starts, capacity);
            keyLengths[depth] = keyLengths[depth] == null ? new int[capacity] : Arrays.copyOf(keyLengths[depth], capacity);
            keyHashes[depth] = keyHashes[depth] == null ? new int[capacity] : Arrays.copyOf(keyHashes[depth], capacity);
        }
        int[] lengths = keyLengths[depth];
        int[] hashes = keyHashes[depth];
        for (int i = 0; i < index; i++) {
            if (hashes[i] == hash && lengths[i] == length
                    && Arrays.equals(in, starts[i], starts[i] + length, in, start, start + length)) {
                return false;
            }
        }
        starts[index] = start;
        lengths[index] = length;
        hashes[index] = hash;
        return true;
    }

    /**
     * At '"': copies the string with its quotes; false for an escape, a control character (JSON forbids them
     * unescaped), a surrogate or no closing quote.
     */
    private boolean string() {
        byte[] o = out;
        int n = size;
        o[n++] = '"';
        for (int i = pos + 1; i < end; i++) {
            char c = in[i];
            if (c == '"') {
                o[n++] = '"';
                size = n;
                pos = i + 1;
                return true;
            }
            if (c < 0x80) {
                if (c < 0x20 || c == '\\') {
                    return false;
                }
                o[n++] = (byte) c;
            } else if (!Character.isSurrogate(c)) {
                n = Utf8.putNonAscii(c, o, n);
            } else {
                // Jackson's generator writes the two halves of a pair as escapes, and refuses a lone one.
                return false;
            }
        }
        return false;
    }

    private boolean literal(String word) {
        if (end - pos < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (in[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += word.length();
        for (int i = 0; i < word.length(); i++) {
            write(word.charAt(i));
        }
        return true;
    }

    /** A number as strict JSON has it: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private boolean number() {
        int start = pos;
        int i = pos;
        if (in[i] == '-') {
            i++;
        }
        if (i >= end) {
            return false;
        }
        if (in[i] == '0') {
            i++;
        } else if (in[i] >= '1' && in[i] <= '9') {
            i = digits(i);
        } else {
            return false;
        }
        int intDigits = i - start - (in[start] == '-' ? 1 : 0);
        boolean integer = true;
        int fractionDigits = 0;
        if (i < end && in[i] == '.') {
            integer = false;
            int fraction = i + 1;
            i = digits(fraction);
            if (i == fraction) {
                return false;
            }
            fractionDigits = i - fraction;
        }
        boolean exponent = i < end && (in[i] == 'e' || in[i] == 'E');
        if (exponent) {
            integer = false;
            i++;
            if (i < end && (in[i] == '+' || in[i] == '-')) {
                i++;
            }
            int exponentStart = i;
            i = digits(exponentStart);
            if (i == exponentStart) {
                return false;
            }
        }
        if (i - start > MAX_NUMBER_CHARS) {
            return false;
        }
        pos = i;
        if (integer) {
            // Jackson reads -0 as the int 0 and writes it so; every other integer keeps its digits.
            if (i - start == 2 && in[start] == '-' && in[start + 1] == '0') {
                write('0');
            } else {
                copy(start, i);
            }
            return true;
        }
        if (!exponent && isOwnDoubleText(intDigits, fractionDigits, in[i - 1])) {
            copy(start, i);
            return true;
        }
        // As Jackson reads and writes a float: a double, and Double.toString.
        double value = Double.parseDouble(new String(in, start, i - start));
        if (Double.isInfinite(value)) {
            return false;
        }
        String text = Double.toString(value);
        ensure(text.length());
        for (int k = 0; k < text.length(); k++) {
            write(text.charAt(k));
        }
        ensureForRest();
        return true;
    }

    /**
     * Whether a float literal without exponent, of at most four integer digits and one or two fraction digits (the
     * second not 0), is what {@code Double.toString} makes of its value, so that it can be copied: such decimals are
     * far apart compared with a double's precision, so the shortest text of the value is the literal.
     * {@code CompactJsonTest} checks all of them against parsing and formatting.
     */
    static boolean isOwnDoubleText(int intDigits, int fractionDigits, char last) {
        return intDigits <= 4 && (fractionDigits == 1 || fractionDigits == 2 && last != '0');
    }

    /** Writes {@code in[from, to)}, ASCII. */
    private void copy(int from, int to) {
        for (int k = from; k < to; k++) {
            write(in[k]);
        }
    }

    private int digits(int from) {
        int i = from;
        while (i < end && in[i] >= '0' && in[i] <= '9') {
            i++;
        }
        return i;
    }

    private void skipWhitespace() {
        while (pos < end) {
            char c = in[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** Writes an ASCII character; {@link #ensureForRest} made room. */
    private void write(char c) {
        out[size++] = (byte) c;
    }

    /**
     * Room for what the rest of the message can become: at most three bytes a character, except a float, whose
     * text can be longer than the literal and which makes room for itself and calls this again.
     */
    private void ensureForRest() {
        ensure(3 * (end - pos));
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}

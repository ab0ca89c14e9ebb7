package io.vedetta.logs.parse;

import io.vedetta.bytes.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast way of {@link JsonObjectCopier}: a pass over a message's UTF-8 bytes that writes the object compactly,
 * for the messages where that is provably what copying Jackson's tokens writes. A first pass only checks, and a
 * message that is compact already is the copy itself; a second one writes the others. Strings and keys without escapes
 * come out as their bytes; integers as their digits (except {@code -0}, which Jackson reads as 0); floats go through
 * {@code double} exactly as Jackson's do. Everything else (an escape, a key twice in an object, anything that is not
 * strict JSON, non-finite floats, very long numbers, deep nesting, characters beyond U+FFFF, which Jackson writes as
 * escapes of their surrogates) returns null, and Jackson's way decides, so documents are the same either way. Most
 * log messages are escape-free compact JSON: Jackson made a parser (a dozen objects) per message and went token by
 * token, the largest single cost of the pipeline thread.
 *
 * <p>Not thread-safe: one per {@link JsonObjectCopier}, which keeps its buffers from message to message.
 */
final class CompactJson {

    private static final int MAX_DEPTH = 64;
    private static final int MAX_KEYS = 256;
    /** Jackson limits numbers to 1000 characters; longer ones than this are left to it. */
    private static final int MAX_NUMBER_CHARS = 64;

    private byte[] in;
    private int end;
    private int pos;
    private byte[] out = new byte[512];
    private int size;
    /** Whether this pass writes {@code out}; the first pass only checks, and notes whether a copy would differ. */
    private boolean writing;
    private boolean changed;
    /** Per nesting level: the keys of the object open there, as start and length in {@code in}, and hashes. */
    private final int[][] keyStarts = new int[MAX_DEPTH][];
    private final int[][] keyLengths = new int[MAX_DEPTH][];
    private final int[][] keyHashes = new int[MAX_DEPTH][];

    /** The object's compact UTF-8 form, or null when Jackson's way has to decide. */
    JsonFields copy(Utf8Text message) {
        in = message.bytes();
        end = message.offset() + message.length();
        try {
            // First only checked: a message that is compact already, as JSON loggers write them, is its own copy.
            writing = false;
            changed = false;
            pos = message.offset();
            if (!object()) {
                return null;
            }
            if (!changed) {
                return new JsonFields(message);
            }
            writing = true;
            pos = message.offset();
            size = 0;
            ensureForRest();
            object();
            return new JsonFields(Arrays.copyOf(out, size));
        } finally {
            // The message's array is not kept from one message to the next.
            in = null;
        }
    }

    /** The whole message, one object with nothing but whitespace around it. */
    private boolean object() {
        skipWhitespace();
        if (pos >= end || in[pos] != '{' || !container(0, '}')) {
            return false;
        }
        skipWhitespace();
        return pos == end;
    }

    private boolean value(int depth) {
        if (pos >= end) {
            return false;
        }
        byte c = in[pos];
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
            byte c = in[pos++];
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
     * At '"': copies the string with its quotes, as it is; false for an escape, a control character (JSON forbids
     * them unescaped), a character beyond U+FFFF or no closing quote. The message is well-formed UTF-8, so other
     * bytes from 0x80 up are copied as they are.
     */
    private boolean string() {
        int i = pos + 1;
        while (true) {
            i = Utf8.plainJsonEnd(in, i, end);
            if (i >= end) {
                return false;
            }
            byte c = in[i];
            if (c == '"') {
                copy(pos, i + 1);
                pos = i + 1;
                return true;
            }
            if (c >= 0 || (c & 0xF8) == 0xF0) {
                // An escape or a control character; or the first byte of four, a character Java holds as a surrogate
                // pair, whose halves Jackson's generator writes as escapes.
                return false;
            }
            i++;
        }
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
                changed = true;
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
        double value = Double.parseDouble(new String(in, start, i - start, StandardCharsets.ISO_8859_1));
        if (Double.isInfinite(value)) {
            return false;
        }
        changed = true;
        if (!writing) {
            return true;
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
    static boolean isOwnDoubleText(int intDigits, int fractionDigits, byte last) {
        return intDigits <= 4 && (fractionDigits == 1 || fractionDigits == 2 && last != '0');
    }

    /** Writes {@code in[from, to)}, ASCII. */
    private void copy(int from, int to) {
        if (writing) {
            System.arraycopy(in, from, out, size, to - from);
            size += to - from;
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
            byte c = in[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            changed = true;
            pos++;
        }
    }

    /** Writes an ASCII character; {@link #ensureForRest} made room. */
    private void write(char c) {
        if (writing) {
            out[size++] = (byte) c;
        }
    }

    private void write(byte c) {
        if (writing) {
            out[size++] = c;
        }
    }

    /**
     * Room for what the rest of the message can become: at most its bytes, except a float, whose text can be
     * longer than the literal and which makes room for itself and calls this again.
     */
    private void ensureForRest() {
        ensure(end - pos);
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}

package io.vedetta.agent.metrics.exposition;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Sample values of the text format read from bytes. Most values a kubelet writes have at most 15 significant
 * digits and a small exponent ({@code 928708}, {@code 825.32}, {@code 1.518e+09}); those are converted exactly
 * without a String (Clinger's fast path: an integer below 2^53 multiplied or divided by an exact power of ten is
 * correctly rounded), the rest go through {@link Double#parseDouble}, which gives the same result.
 */
public final class SampleValues {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final double[] POWERS_OF_TEN = new double[23];
    private static final long EXACT_LIMIT = 1L << 53;

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private SampleValues() {
    }

    /** The value written in {@code bytes} from {@code from} (inclusive) to {@code to} (exclusive). */
    public static double parse(byte[] bytes, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
            negative = bytes[i] == '-';
            i++;
        }
        long mantissa = 0;
        int scale = 0;
        boolean digits = false;
        for (; i < to && isDigit(bytes[i]); i++) {
            mantissa = mantissa * 10 + (bytes[i] - '0');
            digits = true;
            if (mantissa >= EXACT_LIMIT) {
                return parse(text(bytes, from, to));
            }
        }
        if (i < to && bytes[i] == '.') {
            for (i++; i < to && isDigit(bytes[i]); i++) {
                mantissa = mantissa * 10 + (bytes[i] - '0');
                scale--;
                digits = true;
                if (mantissa >= EXACT_LIMIT) {
                    return parse(text(bytes, from, to));
                }
            }
        }
        if (!digits) {
            return parse(text(bytes, from, to));
        }
        if (i < to && (bytes[i] == 'e' || bytes[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
                negativeExponent = bytes[i] == '-';
                i++;
            }
            int start = i;
            int exponent = 0;
            for (; i < to && isDigit(bytes[i]) && i - start < 4; i++) {
                exponent = exponent * 10 + (bytes[i] - '0');
            }
            if (i == start) {
                return parse(text(bytes, from, to));
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (i != to || scale < -22 || scale > 22) {
            return parse(text(bytes, from, to));
        }
        double value = scale >= 0 ? mantissa * POWERS_OF_TEN[scale] : mantissa / POWERS_OF_TEN[-scale];
        return negative ? -value : value;
    }

    /** A value as text: a number, or NaN and ±Inf in any case. */
    public static double parse(String raw) {
        String v = raw.startsWith("+") ? raw.substring(1) : raw;
        if (v.equalsIgnoreCase("NaN")) {
            return Double.NaN;
        }
        if (v.equalsIgnoreCase("Inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (v.equalsIgnoreCase("-Inf")) {
            return Double.NEGATIVE_INFINITY;
        }
        if (!NUMBER.matcher(raw).matches()) {
            throw new IllegalArgumentException("bad value \"" + raw + "\"");
        }
        return Double.parseDouble(raw);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static String text(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}

package io.vedetta.agent.metrics.kubelet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scanning the bytes of a response eight at a time. A full node's cAdvisor response is ten megabytes of mostly
 * label values; looking at them byte by byte for line ends, quotes and braces was the largest cost of a parse.
 */
final class ByteScan {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    static final long NEWLINES = pattern('\n');
    static final long QUOTES = pattern('"');
    static final long BACKSLASHES = pattern('\\');
    static final long CLOSING_BRACES = pattern('}');

    private ByteScan() {
    }

    /** {@code c} in every byte of a word, for {@link #matches}. */
    static long pattern(char c) {
        return (c & 0xFFL) * ONES;
    }

    /** The eight bytes at {@code i}, the first in the lowest byte. */
    static long word(byte[] bytes, int i) {
        return (long) LONGS.get(bytes, i);
    }

    /**
     * The high bit set in the bytes of {@code word} equal to the byte of {@code pattern}: the lowest set bit is
     * always a match (higher ones may be false after a match, so only the first is used).
     */
    static long matches(long word, long pattern) {
        long x = word ^ pattern;
        return (x - ONES) & ~x & HIGHS;
    }

    /** Offset in the word of the first match in {@code matches} (not zero). */
    static int first(long matches) {
        return Long.numberOfTrailingZeros(matches) >>> 3;
    }

    /** The index of the first newline from {@code from} before {@code to}, or -1. */
    static int newline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long found = matches(word(bytes, i), NEWLINES);
            if (found != 0) {
                return i + first(found);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A hash of the bytes read eight at a time: label sets are a few hundred bytes, hashed once per line. */
    static int hash(byte[] bytes, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ (to - from);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            h = Long.rotateLeft(h ^ word(bytes, i), 29) * 0xBF58476D1CE4E5B9L;
        }
        for (; i < to; i++) {
            h = (h ^ bytes[i]) * 0x94D049BB133111EBL;
        }
        h ^= h >>> 31;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return (int) h;
    }
}

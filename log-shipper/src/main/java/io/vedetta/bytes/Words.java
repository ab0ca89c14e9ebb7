package io.vedetta.bytes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bytes eight at a time, for the scans that run over every byte read (newlines, UTF-8 checks, JSON escapes, the
 * kubelet's metrics text): a byte at a time was a third of the tailer's time, a tenth of parsing a line and the largest
 * cost of parsing a full node's ten-megabyte cAdvisor response. A word holds its first byte in its lowest bits; a mask
 * flags a byte by its high bit.
 */
public final class Words {

    /** Each byte's high bit. */
    public static final long HIGH_BITS = 0x8080808080808080L;
    /** Each byte 1. */
    public static final long ONES = 0x0101010101010101L;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Words() {
    }

    /** The eight bytes of {@code b} from {@code i}. */
    public static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** Writes {@code w} as eight bytes into {@code b} from {@code i}, as {@link #word} reads them. */
    public static void putWord(byte[] b, int i, long w) {
        LONGS.set(b, i, w);
    }

    /** {@code value} in every byte. */
    public static long repeated(char value) {
        return value * ONES;
    }

    /**
     * Flags the bytes of {@code w} that are zero. The lowest flagged byte is exact; borrows may flag bytes after it
     * too, so only the first flag counts.
     */
    public static long zeroBytes(long w) {
        return (w - ONES) & ~w & HIGH_BITS;
    }

    /** Flags the bytes of {@code w} below {@code limit} (at most 0x80), with {@link #zeroBytes}'s caveat. */
    public static long bytesBelow(long w, int limit) {
        return (w - limit * ONES) & ~w & HIGH_BITS;
    }

    /** Index in its word of the first byte a non-zero mask flags. */
    public static int firstFlagged(long mask) {
        return Long.numberOfTrailingZeros(mask) >>> 3;
    }

    /** The index of the first {@code value} (an ASCII character) in {@code b[from, to)}, or -1. */
    public static int indexOf(byte[] b, int from, int to, char value) {
        long pattern = repeated(value);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long found = zeroBytes(word(b, i) ^ pattern);
            if (found != 0) {
                return i + firstFlagged(found);
            }
        }
        for (; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** A hash of {@code b[from, to)} read eight bytes at a time, for keys of a few hundred bytes hashed once a line. */
    public static int hash(byte[] b, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ (to - from);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            h = Long.rotateLeft(h ^ word(b, i), 29) * 0xBF58476D1CE4E5B9L;
        }
        for (; i < to; i++) {
            h = (h ^ b[i]) * 0x94D049BB133111EBL;
        }
        h ^= h >>> 31;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return (int) h;
    }
}

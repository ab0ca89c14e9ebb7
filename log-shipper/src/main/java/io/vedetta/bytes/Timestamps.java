package io.vedetta.bytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * RFC 3339 timestamps with nanoseconds, as CRI runtimes (containerd, CRI-O) and docker write them.
 * Hand-written because {@code DateTimeFormatter} costs microseconds per line and every line has one.
 */
public final class Timestamps {

    /** Returned by {@link #parseEpochNanos} for text that is not an RFC 3339 timestamp. */
    public static final long INVALID = Long.MIN_VALUE;

    /** Characters of {@link #formatUtc}'s form. */
    public static final int UTC_LENGTH = 30;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Timestamps() {
    }

    /**
     * Nanoseconds since the epoch of {@code 2024-01-02T03:04:05.123456789Z} or {@code …+02:00}; the fraction
     * may have 0 to 9 digits (RFC3339Nano drops trailing zeros). {@link #INVALID} when it does not parse.
     */
    public static long parseEpochNanos(String s) {
        return parseEpochNanos(s.getBytes(StandardCharsets.ISO_8859_1), 0, s.length());
    }

    /** As {@link #parseEpochNanos(String)}, of the ASCII text in {@code b[off, off+len)}: a CRI line's first field. */
    public static long parseEpochNanos(byte[] b, int off, int len) {
        return parseEpochNanos(b, off, len, null);
    }

    private static long parseEpochNanos(byte[] b, int off, int len, Parser last) {
        int n = off + len;
        if (len < 20) {
            return INVALID;
        }
        long localSecond;
        if (last != null && last.sameSecond(b, off)) {
            localSecond = last.localSecond;
        } else {
            localSecond = localSecond(b, off);
            if (localSecond == INVALID) {
                return INVALID;
            }
            if (last != null) {
                last.remember(b, off, localSecond);
            }
        }
        int i = off + 19;
        long nanos = 0;
        if (b[i] == '.') {
            i++;
            int start = i;
            while (i < n && isDigit(b[i])) {
                if (i - start < 9) {
                    nanos = nanos * 10 + (b[i] - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0) {
                return INVALID;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i >= n) {
            return INVALID;
        }
        int offsetSeconds;
        byte z = b[i];
        if ((z == 'Z' || z == 'z') && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((z == '+' || z == '-') && i + 6 == n && b[i + 3] == ':') {
            int oh = digits(b, i + 1, 2);
            int om = digits(b, i + 4, 2);
            if (oh < 0 || oh > 23 || om < 0 || om > 59) {
                return INVALID;
            }
            offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return INVALID;
        }
        return (localSecond - offsetSeconds) * NANOS_PER_SECOND + nanos;
    }

    /**
     * {@code YYYY-MM-DDTHH:MM:SS} at {@code off} as seconds since the epoch, as if it were UTC; {@link #INVALID}
     * when it is not that. A leap second is folded into the last second of its minute, as java.time does.
     */
    private static long localSecond(byte[] b, int off) {
        if (b[off + 4] != '-' || b[off + 7] != '-' || b[off + 13] != ':' || b[off + 16] != ':') {
            return INVALID;
        }
        byte t = b[off + 10];
        if (t != 'T' && t != 't' && t != ' ') {
            return INVALID;
        }
        int year = digits(b, off, 4);
        int month = digits(b, off + 5, 2);
        int day = digits(b, off + 8, 2);
        int hour = digits(b, off + 11, 2);
        int minute = digits(b, off + 14, 2);
        int second = digits(b, off + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return INVALID;
        }
        return epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + Math.min(second, 59);
    }

    /** {@code 2024-01-02T03:04:05.123456789Z}: always UTC and always nine fraction digits, so it sorts as text. */
    public static String formatUtc(long epochNanos) {
        byte[] text = new byte[UTC_LENGTH];
        putUtc(epochNanos, text, 0);
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes what {@link #formatUtc} makes of {@code epochNanos}, {@value #UTC_LENGTH} ASCII bytes, into {@code out}
     * at {@code at}: a document's {@code @timestamp} is written so, without a string per record. Nanoseconds in a
     * long reach from 1677 to 2262, so the year always has four digits.
     */
    public static void putUtc(long epochNanos, byte[] out, int at) {
        long epochSecond = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND);
        long day = Math.floorDiv(epochSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        // civil-from-days, H. Hinnant's algorithm: exact for the proleptic Gregorian calendar.
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        put(out, at, (int) y, 4);
        out[at + 4] = '-';
        put(out, at + 5, m, 2);
        out[at + 7] = '-';
        put(out, at + 8, d, 2);
        out[at + 10] = 'T';
        put(out, at + 11, secondOfDay / 3600, 2);
        out[at + 13] = ':';
        put(out, at + 14, secondOfDay / 60 % 60, 2);
        out[at + 16] = ':';
        put(out, at + 17, secondOfDay % 60, 2);
        out[at + 19] = '.';
        put(out, at + 20, nanos, 9);
        out[at + 29] = 'Z';
    }

    private static void put(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int digits(byte[] b, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            byte ch = b[i];
            if (!isDigit(ch)) {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value;
    }

    private static boolean isDigit(byte ch) {
        return ch >= '0' && ch <= '9';
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** days-from-civil, H. Hinnant's algorithm. */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /**
     * Parses one file's CRI timestamps. Runtimes write many lines a second, so a time with the same date and second
     * as the one before takes its seconds, and only the fraction and the zone are read again. Not thread-safe: one
     * per file.
     */
    public static final class Parser {
        private static final int SECOND_CHARS = 19;
        private final byte[] text = new byte[SECOND_CHARS];
        private long localSecond;
        private boolean known;

        /** As {@link Timestamps#parseEpochNanos(byte[], int, int)}. */
        public long parse(byte[] b, int off, int len) {
            return parseEpochNanos(b, off, len, this);
        }

        private boolean sameSecond(byte[] b, int off) {
            return known && Arrays.equals(text, 0, SECOND_CHARS, b, off, off + SECOND_CHARS);
        }

        private void remember(byte[] b, int off, long second) {
            System.arraycopy(b, off, text, 0, SECOND_CHARS);
            localSecond = second;
            known = true;
        }
    }

    /**
     * Writes {@link #formatUtc}'s form of times that mostly fall in the same second as the one before, as a batch
     * of records does: the date and the time of day are formatted once a second. Not thread-safe.
     */
    public static final class UtcWriter {
        /** Up to and with the '.' before the fraction. */
        private static final int SECOND_CHARS = 20;
        private final byte[] text = new byte[UTC_LENGTH];
        private long second = Long.MIN_VALUE;

        /** As {@link #putUtc}. */
        public void write(long epochNanos, byte[] out, int at) {
            long s = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
            if (s != second) {
                putUtc(epochNanos, text, 0);
                second = s;
            }
            System.arraycopy(text, 0, out, at, SECOND_CHARS);
            put(out, at + SECOND_CHARS, (int) (epochNanos - s * NANOS_PER_SECOND), 9);
            out[at + UTC_LENGTH - 1] = 'Z';
        }
    }
}

package io.vedetta.logs.parse;

import java.time.Instant;

/**
 * RFC 3339 timestamps with nanoseconds, as CRI runtimes (containerd, CRI-O) and docker write them.
 * Hand-written because {@code DateTimeFormatter} costs microseconds per line and every line has one.
 */
public final class Timestamps {

    /** Returned by {@link #parseEpochNanos} for text that is not an RFC 3339 timestamp. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Timestamps() {
    }

    /**
     * Nanoseconds since the epoch of {@code 2024-01-02T03:04:05.123456789Z} or {@code …+02:00}; the fraction
     * may have 0 to 9 digits (RFC3339Nano drops trailing zeros). {@link #INVALID} when it does not parse.
     */
    public static long parseEpochNanos(CharSequence s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return INVALID;
        }
        char t = s.charAt(10);
        if (t != 'T' && t != 't' && t != ' ') {
            return INVALID;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return INVALID;
        }
        int i = 19;
        long nanos = 0;
        if (s.charAt(i) == '.') {
            i++;
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                if (i - start < 9) {
                    nanos = nanos * 10 + (s.charAt(i) - '0');
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
        char z = s.charAt(i);
        if ((z == 'Z' || z == 'z') && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((z == '+' || z == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 23 || om < 0 || om > 59) {
                return INVALID;
            }
            offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return INVALID;
        }
        // A leap second is folded into the last second of the minute, as java.time does.
        long epochSecond = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L
                + Math.min(second, 59) - offsetSeconds;
        return epochSecond * NANOS_PER_SECOND + nanos;
    }

    /** {@code 2024-01-02T03:04:05.123456789Z}: always UTC and always nine fraction digits, so it sorts as text. */
    /**
     * What {@link #formatUtc} makes of {@code epochNanos}, given {@code time}, the text it was parsed from: that
     * text itself when it already has that form, as containerd and CRI-O write it, which saves formatting and a
     * string per record.
     */
    public static String utc(String time, long epochNanos) {
        // parseEpochNanos checked the digits and ranges; a leap second (:60) is formatted as the next minute.
        boolean canonical = time.length() == 30 && time.charAt(10) == 'T' && time.charAt(19) == '.'
                && time.charAt(29) == 'Z' && time.charAt(17) < '6';
        return canonical ? time : formatUtc(epochNanos);
    }

    public static String formatUtc(long epochNanos) {
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
        if (y < 0 || y > 9999) {
            return Instant.ofEpochSecond(epochSecond, nanos).toString();
        }
        char[] c = new char[30];
        put(c, 0, (int) y, 4);
        c[4] = '-';
        put(c, 5, m, 2);
        c[7] = '-';
        put(c, 8, d, 2);
        c[10] = 'T';
        put(c, 11, secondOfDay / 3600, 2);
        c[13] = ':';
        put(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secondOfDay % 60, 2);
        c[19] = '.';
        put(c, 20, nanos, 9);
        c[29] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int digits(CharSequence s, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char ch = s.charAt(i);
            if (!isDigit(ch)) {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value;
    }

    private static boolean isDigit(char ch) {
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
}

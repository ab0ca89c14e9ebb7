package io.vedetta.agent.cluster.state;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CronJob's schedule as the CronJob controller reads it (robfig/cron's standard parser): five fields (minute,
 * hour, day of month, month, day of week) with lists, ranges, steps and names, the {@code @hourly}-style
 * descriptors, {@code @every <duration>}, and a {@code CRON_TZ=}/{@code TZ=} prefix. When both day fields are
 * restricted a day matching either runs, as in cron. Used for {@code kube_cronjob_next_schedule_time}.
 */
final class CronSchedule {

    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|h|m|s)");
    /** Far enough for any schedule that can run at all (Feb 29 on a Sunday recurs within 28 years). */
    private static final int SEARCH_YEARS = 30;

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;
    private final Duration every;
    private final ZoneId zone;

    private CronSchedule(String[] fields, Duration every, ZoneId zone) {
        this.every = every;
        this.zone = zone;
        if (fields == null) {
            minutes = hours = daysOfMonth = months = daysOfWeek = null;
            anyDayOfMonth = anyDayOfWeek = true;
            return;
        }
        minutes = field(fields[0], 0, 59, List.of());
        hours = field(fields[1], 0, 23, List.of());
        daysOfMonth = field(fields[2], 1, 31, List.of());
        months = field(fields[3], 1, 12, MONTHS);
        daysOfWeek = field(fields[4], 0, 6, DAYS);
        anyDayOfMonth = fields[2].startsWith("*") || fields[2].startsWith("?");
        anyDayOfWeek = fields[4].startsWith("*") || fields[4].startsWith("?");
    }

    /**
     * @param defaultZone the zone of a schedule without a prefix (the CronJob's {@code timeZone}, else UTC)
     * @throws IllegalArgumentException when the schedule does not parse; the message says why
     */
    static CronSchedule parse(String spec, ZoneId defaultZone) {
        String s = spec.trim();
        ZoneId zone = defaultZone;
        if (s.startsWith("CRON_TZ=") || s.startsWith("TZ=")) {
            int space = s.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("a time zone prefix needs a schedule after it");
            }
            zone = ZoneId.of(s.substring(s.indexOf('=') + 1, space));
            s = s.substring(space + 1).trim();
        }
        if (s.startsWith("@every ")) {
            return new CronSchedule(null, goDuration(s.substring(7).trim()), zone);
        }
        s = DESCRIPTORS.getOrDefault(s.toLowerCase(Locale.ROOT), s);
        String[] fields = s.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("expected 5 fields, got " + fields.length + ": " + spec);
        }
        return new CronSchedule(fields, null, zone);
    }

    /** The first run strictly after {@code after}, or null when there is none within decades. */
    ZonedDateTime next(ZonedDateTime after) {
        if (every != null) {
            return after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.SECONDS).plus(every);
        }
        ZonedDateTime t = after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(SEARCH_YEARS);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t;
            }
        }
        return null;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        return anyDayOfMonth || anyDayOfWeek ? dom && dow : dom || dow;
    }

    private static BitSet field(String field, int min, int max, List<String> names) {
        BitSet bits = new BitSet(max + 1);
        for (String part : field.split(",")) {
            int slash = part.indexOf('/');
            String range = slash < 0 ? part : part.substring(0, slash);
            int step = slash < 0 ? 1 : number(part.substring(slash + 1), 1, Integer.MAX_VALUE, List.of(), part);
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                from = number(range.substring(0, range.indexOf('-')), min, max, names, part);
                to = number(range.substring(range.indexOf('-') + 1), min, max, names, part);
            } else {
                from = number(range, min, max, names, part);
                to = slash < 0 ? from : max;
            }
            if (from > to) {
                throw new IllegalArgumentException("range " + part + " runs backwards");
            }
            for (int i = from; i <= to; i += step) {
                bits.set(i);
            }
        }
        return bits;
    }

    private static int number(String text, int min, int max, List<String> names, String part) {
        int named = names.indexOf(text.toLowerCase(Locale.ROOT));
        int value;
        if (named >= 0) {
            value = named + min;
        } else if (text.matches("\\d{1,9}")) {
            value = Integer.parseInt(text);
        } else {
            throw new IllegalArgumentException("\"" + part + "\" is not a number or name");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " in \"" + part + "\" is out of " + min + "-" + max);
        }
        return value;
    }

    /** Go's duration syntax as {@code @every} takes it, at least one second as the cron library rounds it. */
    private static Duration goDuration(String text) {
        Matcher m = GO_DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        if (end != text.length() || end == 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration");
        }
        Duration seconds = total.truncatedTo(ChronoUnit.SECONDS);
        return seconds.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : seconds;
    }
}

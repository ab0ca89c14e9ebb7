package io.vedetta.agent.scrape;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Prometheus writes them in configuration and annotations: {@code 15s}, {@code 1m30s}, {@code 500ms}. */
final class GoDurations {

    private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|s|m|h|d|w|y))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

    private GoDurations() {
    }

    /** The duration written, or null when it is not one (or is zero). */
    static Duration parse(String text) {
        String t = text.trim();
        if (!WHOLE.matcher(t).matches()) {
            return null;
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                default -> Duration.ofDays(365 * n);
            });
        }
        return total.isZero() ? null : total;
    }
}

package io.vedetta.bench;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmark checks in a Prometheus text exposition before trusting its timings. */
final class Exposition {

    private static final Pattern POD = Pattern.compile("[{,]pod=\"([^\"]*)\"");
    private static final Pattern SOURCE_UP = Pattern.compile("^vedetta_source_up\\{source=\"([^\"]+)\"} (\\S+)$",
            Pattern.MULTILINE);

    private Exposition() {
    }

    static int seriesCount(String text) {
        return seriesCount(text, "");
    }

    /** Series lines whose name starts with {@code prefix}. */
    static int seriesCount(String text, String prefix) {
        return (int) text.lines().filter(l -> !l.startsWith("#") && !l.isBlank() && l.startsWith(prefix)).count();
    }

    /** Distinct pods that have {@code container_cpu_usage_seconds_total} series. */
    static int podCount(String text) {
        Set<String> pods = new HashSet<>();
        text.lines().filter(l -> l.startsWith("container_cpu_usage_seconds_total{")).forEach(l -> {
            Matcher m = POD.matcher(l);
            if (m.find() && !m.group(1).isEmpty()) {
                pods.add(m.group(1));
            }
        });
        return pods.size();
    }

    /** The value of an unlabelled series, NaN when absent. */
    static double value(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim().split(" ")[0]))
                .orElse(Double.NaN);
    }

    /** Fails unless every source of the agent answered this scrape: timings of stale sources would flatter it. */
    static void requireHealthySources(String text) {
        Matcher m = SOURCE_UP.matcher(text);
        int sources = 0;
        while (m.find()) {
            sources++;
            if (Double.parseDouble(m.group(2)) != 1) {
                throw new IllegalStateException("source " + m.group(1) + " is down in the agent's scrape; see its log");
            }
        }
        if (sources == 0) {
            throw new IllegalStateException("the agent's scrape has no vedetta_source_up series");
        }
    }
}

package io.vedetta.e2e.pod;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading Prometheus text exposition in the pod tests: the values a label takes, the value of a series. */
final class Exposition {

    private Exposition() {
    }

    /** The values label {@code label} takes on the series of {@code metric}. */
    static Set<String> labelValues(String text, String metric, String label) {
        Set<String> out = new TreeSet<>();
        Pattern value = Pattern.compile("[{,]" + Pattern.quote(label) + "=\"([^\"]*)\"");
        text.lines().filter(line -> line.startsWith(metric + "{")).forEach(line -> {
            Matcher m = value.matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
        });
        return out;
    }

    /** The value of the first series of {@code metric} whose labels contain {@code labels} (e.g. {@code mountpoint="/"}). */
    static double value(String text, String metric, String labels) {
        return text.lines().filter(line -> line.startsWith(metric + "{") && line.contains(labels)).findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).orElse(Double.NaN);
    }

    /** The sum of every series of {@code metric} whose labels contain {@code labels}. */
    static double sum(String text, String metric, String labels) {
        return text.lines().filter(line -> line.startsWith(metric + "{") && line.contains(labels))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}

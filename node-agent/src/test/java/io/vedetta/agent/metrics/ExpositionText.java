package io.vedetta.agent.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Minimal reader of Prometheus text exposition for comparisons: series (name with its label text, as written)
 * to value. Enough for node_exporter's and client_java's output, whose label values hold no {@code "} escapes
 * followed by a closing brace.
 */
public final class ExpositionText {

    private ExpositionText() {
    }

    public static Map<String, Double> series(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int split = line.lastIndexOf(' ');
            out.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
        }
        return out;
    }

    /** The metric name of a series key: everything before the labels. */
    public static String name(String series) {
        int brace = series.indexOf('{');
        return brace < 0 ? series : series.substring(0, brace);
    }
}

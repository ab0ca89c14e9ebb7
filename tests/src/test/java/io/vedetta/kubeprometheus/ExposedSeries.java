package io.vedetta.kubeprometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Series of a Prometheus text exposition as Prometheus would store them: a name and its non-empty labels, with
 * {@code le} and {@code quantile} values as numbers (Prometheus 3 normalises them so; 2.42 keeps them as written),
 * and the value. Comment lines are skipped.
 */
record ExposedSeries(String name, Map<String, String> labels, double value) {

    /** The identity of the series: name and labels. */
    String key() {
        return name + labels;
    }

    static ExposedSeries of(String name, Map<String, String> labels, double value) {
        Map<String, String> kept = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (!v.isEmpty()) {
                kept.put(k, k.equals("le") || k.equals("quantile") ? String.valueOf(parse(v)) : v);
            }
        });
        return new ExposedSeries(name, kept, value);
    }

    static List<ExposedSeries> parseExposition(String text) {
        List<ExposedSeries> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name;
            Map<String, String> labels = new TreeMap<>();
            int rest;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                rest = readLabels(line, brace + 1, labels);
            } else {
                name = line.substring(0, space);
                rest = space;
            }
            String[] tail = line.substring(rest).trim().split(" ");
            out.add(of(name, labels, parse(tail[0])));
        }
        return out;
    }

    /** Reads {@code a="b",...}} from {@code i}; returns the index after the closing brace. */
    private static int readLabels(String line, int i, Map<String, String> labels) {
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; line.charAt(j) != '"'; j++) {
                char ch = line.charAt(j);
                if (ch == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(ch);
                }
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }

    static double parse(String value) {
        return switch (value) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }
}

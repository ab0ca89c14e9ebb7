package io.vedetta.dashboards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series names of the README's "Metric catalogue" section: every name in backticks there, with shell-style
 * alternatives expanded ({@code container_network_{receive,transmit}_bytes_total} is two names). The README is
 * the catalogue users read; an end-to-end test keeps it true to what a running agent exposes.
 */
final class ReadmeCatalogue {

    /** Parts Prometheus exposes for a summary, histogram or Micrometer timer named in the catalogue by its base name. */
    private static final List<String> PART_SUFFIXES = List.of("_sum", "_count", "_bucket", "_max");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][\\w:]*(?:\\{[\\w,]+}[\\w:]*)*");
    private static final Pattern ALTERNATIVES = Pattern.compile("\\{([\\w,]+)}");

    private final Set<String> names;

    private ReadmeCatalogue(Set<String> names) {
        this.names = names;
    }

    static ReadmeCatalogue of(Path readme) {
        String text;
        try {
            text = Files.readString(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = text.indexOf("\n## Metric catalogue");
        if (start < 0) {
            throw new IllegalStateException(readme + " has no \"## Metric catalogue\" section");
        }
        int end = text.indexOf("\n## ", start + 1);
        String section = text.substring(start, end < 0 ? text.length() : end);
        Set<String> names = new TreeSet<>();
        Matcher code = CODE.matcher(section);
        while (code.find()) {
            Matcher name = NAME.matcher(code.group(1));
            while (name.find()) {
                names.addAll(expand(name.group()));
            }
        }
        // Prometheus' own series for each target, which the dashboards may use beside the agent's.
        names.add("up");
        return new ReadmeCatalogue(names);
    }

    boolean contains(String series) {
        if (names.contains(series)) {
            return true;
        }
        return PART_SUFFIXES.stream().anyMatch(s -> series.endsWith(s)
                && names.contains(series.substring(0, series.length() - s.length())));
    }

    int size() {
        return names.size();
    }

    static List<String> expand(String name) {
        Matcher m = ALTERNATIVES.matcher(name);
        if (!m.find()) {
            return List.of(name);
        }
        List<String> out = new ArrayList<>();
        for (String alternative : m.group(1).split(",")) {
            out.addAll(expand(name.substring(0, m.start()) + alternative + name.substring(m.end())));
        }
        return out;
    }
}

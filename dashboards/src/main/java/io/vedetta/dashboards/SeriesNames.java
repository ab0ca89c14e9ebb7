package io.vedetta.dashboards;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, found by a small tokenizer rather than a full parser: after
 * string literals, label matchers ({@code {...}}), range and subquery brackets ({@code [...]}) and the label
 * lists of {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and {@code group_right}
 * are removed, an identifier is a metric name unless a {@code (} follows it (a function or aggregation) or it
 * is a keyword. Numbers and durations never start with a letter, so they are not identifiers.
 */
public final class SeriesNames {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][\\w:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

    private SeriesNames() {
    }

    public static Set<String> in(String expr) {
        String rest = STRING.matcher(expr).replaceAll("\"\"");
        rest = rest.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        rest = LABEL_LIST.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String name = m.group(1);
            if (m.group(2) == null && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }
}

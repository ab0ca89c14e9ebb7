package io.vedetta.kubeprometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL's lexical structure to read rule expressions: the metric names they select and the
 * numbers they compare with. Not a parser: comments, strings, label matchers, ranges and grouping lists are cut
 * out, and what remains is read as identifiers and numbers.
 */
public final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan", "atan2");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern RANGE = Pattern.compile("\\[\\s*([0-9a-z]+)\\s*(?::\\s*([0-9a-z]*))?\\s*]");
    private static final Pattern NUMBER = Pattern.compile("(?<![a-zA-Z_:0-9.])(\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)(?![a-zA-Z_:0-9])");
    /** The k of topk/bottomk: a way to de-duplicate series, not a threshold. */
    private static final Pattern TOPK_K = Pattern.compile("\\b(topk|bottomk)\\s*(?:(?:by|without)\\s*\\([^)]*\\)\\s*)?\\(\\s*\\d+\\s*,");

    private PromQl() {
    }

    /** {@code expr} without comments and with every string literal emptied. */
    public static String code(String expr) {
        StringBuilder out = new StringBuilder(expr.length());
        for (int i = 0; i < expr.length(); i++) {
            char ch = expr.charAt(i);
            if (ch == '#') {
                while (i < expr.length() && expr.charAt(i) != '\n') {
                    i++;
                }
                out.append('\n');
            } else if (ch == '"' || ch == '\'' || ch == '`') {
                int j = i + 1;
                while (j < expr.length() && expr.charAt(j) != ch) {
                    j += expr.charAt(j) == '\\' && ch != '`' ? 2 : 1;
                }
                out.append(ch).append(ch);
                i = j;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** Metric names of {@code expr}: identifiers outside label sets, ranges and grouping lists that are not functions. */
    public static Set<String> metricNames(String expr) {
        String stripped = grouping(code(expr).replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " "));
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(stripped);
        while (m.find()) {
            String name = m.group();
            int next = m.end();
            while (next < stripped.length() && Character.isWhitespace(stripped.charAt(next))) {
                next++;
            }
            boolean function = next < stripped.length() && stripped.charAt(next) == '(';
            boolean number = m.start() > 0 && Character.isDigit(stripped.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The thresholds of {@code expr}: its number literals and range durations, sorted, so two expressions that
     * compare the same quantities with the same numbers over the same windows have the same thresholds.
     */
    public static List<String> thresholds(String expr) {
        String code = TOPK_K.matcher(grouping(code(expr).replaceAll("\\{[^}]*}", " "))).replaceAll("$1(");
        List<String> out = new ArrayList<>();
        Matcher range = RANGE.matcher(code);
        while (range.find()) {
            out.add("[" + range.group(1) + "]");
            if (range.group(2) != null && !range.group(2).isEmpty()) {
                out.add("[:" + range.group(2) + "]");
            }
        }
        Matcher number = NUMBER.matcher(RANGE.matcher(code).replaceAll(" "));
        while (number.find()) {
            out.add(String.valueOf(Double.parseDouble(number.group(1))));
        }
        out.sort(null);
        return out;
    }

    private static String grouping(String code) {
        return code.replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    }
}

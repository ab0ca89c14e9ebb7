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
        return scan(expr, false);
    }

    /** {@code expr} without comments, strings kept. */
    public static String withoutComments(String expr) {
        return scan(expr, true);
    }

    private static String scan(String expr, boolean keepStrings) {
        StringBuilder out = new StringBuilder(expr.length());
        for (int i = 0; i < expr.length(); i++) {
            char ch = expr.charAt(i);
            if (ch == '#') {
                while (i < expr.length() && expr.charAt(i) != '\n') {
                    i++;
                }
                out.append('\n');
            } else if (ch == '"' || ch == '\'' || ch == '`') {
                int end = stringEnd(expr, i);
                out.append(keepStrings ? expr.substring(i, end) : "" + ch + ch);
                i = end - 1;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** Where the string literal that starts at {@code from} ends (after its closing quote). */
    private static int stringEnd(String text, int from) {
        char quote = text.charAt(from);
        int j = from + 1;
        while (j < text.length() && text.charAt(j) != quote) {
            j += text.charAt(j) == '\\' && quote != '`' ? 2 : 1;
        }
        return Math.min(j + 1, text.length());
    }

    /**
     * The vector selectors of {@code expr} as written, matchers included ({@code up{job="vedetta"}}), in order:
     * what a rule reads.
     */
    public static List<String> selectors(String expr) {
        String text = withoutComments(expr);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch == '"' || ch == '\'' || ch == '`') {
                i = stringEnd(text, i);
            } else if (ch == '[') {
                i = text.indexOf(']', i) + 1;
            } else if (ch == '{') {
                i = braceEnd(text, i);
            } else if (Character.isDigit(ch)) {
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(ch) || ch == '_' || ch == ':') {
                int end = i;
                while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'
                        || text.charAt(end) == ':')) {
                    end++;
                }
                String name = text.substring(i, end);
                int next = end;
                while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
                    next++;
                }
                // An aggregation may put its grouping between its name and its parenthesis: max by (pod) (...).
                boolean call = next < text.length() && text.charAt(next) == '('
                        || AGGREGATION_MODIFIER.matcher(text).region(next, text.length()).lookingAt();
                if (call && GROUPING.matcher(name).matches()) {
                    i = text.indexOf(')', next) + 1;
                } else if (call || KEYWORDS.contains(name.toLowerCase())) {
                    i = end;
                } else if (next < text.length() && text.charAt(next) == '{') {
                    i = braceEnd(text, next);
                    out.add(name + text.substring(next, i));
                } else {
                    out.add(name);
                    i = end;
                }
            } else {
                i++;
            }
        }
        return out;
    }

    private static final Pattern GROUPING = Pattern.compile("(?i)by|without|on|ignoring|group_left|group_right");
    private static final Pattern AGGREGATION_MODIFIER = Pattern.compile("(?i)(by|without)\\s*\\(");

    /** Where the label set that starts at {@code from} ends (after its closing brace), quoted braces skipped. */
    private static int braceEnd(String text, int from) {
        int i = from + 1;
        while (i < text.length() && text.charAt(i) != '}') {
            char ch = text.charAt(i);
            i = ch == '"' || ch == '\'' || ch == '`' ? stringEnd(text, i) : i + 1;
        }
        return Math.min(i + 1, text.length());
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

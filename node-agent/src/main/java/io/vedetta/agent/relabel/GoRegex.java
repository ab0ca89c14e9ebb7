package io.vedetta.agent.relabel;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A relabelling regular expression: RE2 syntax, as Prometheus reads it, anchored at both ends ({@code ^(?:re)$}),
 * run by {@link java.util.regex}. The syntax the two share (classes, groups, repetition, alternation, {@code \d \w
 * \s}, named groups) means the same; RE2's named groups {@code (?P<name>…)} and POSIX classes in brackets
 * ({@code [[:alpha:]]}) are translated, since Java would read the first as an error and the second as a set of
 * characters. What java.util.regex accepts and RE2 refuses (back-references, look-around, possessive quantifiers,
 * {@code [a&&b]} intersections) works here and would fail in Prometheus; {@code $} matches only at the very end here,
 * as in RE2, since the whole value is matched.
 */
public final class GoRegex {

    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));
    private static final Pattern POSIX = Pattern.compile("\\[:(\\^?)([a-z]+):]");

    private final String source;
    private final Pattern pattern;

    private GoRegex(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /** Compiles {@code re}; an invalid one is an {@link IllegalArgumentException} saying why. */
    public static GoRegex compile(String re) {
        try {
            return new GoRegex(re, Pattern.compile(translate(re)));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression \"" + re + "\": " + e.getDescription());
        }
    }

    /** RE2's spellings that java.util.regex reads otherwise, rewritten into Java's. */
    static String translate(String re) {
        String java = re.replace("(?P<", "(?<");
        Matcher posix = POSIX.matcher(java);
        StringBuilder out = new StringBuilder();
        while (posix.find()) {
            String klass = POSIX_CLASSES.get(posix.group(2));
            if (klass == null) {
                throw new IllegalArgumentException("invalid regular expression \"" + re + "\": unknown character class [:"
                        + posix.group(2) + ":]");
            }
            String negated = posix.group(1).isEmpty() ? klass
                    : klass.startsWith("\\p") ? "\\P" + klass.substring(2) : klass.toUpperCase();
            posix.appendReplacement(out, Matcher.quoteReplacement(negated));
        }
        posix.appendTail(out);
        return out.toString();
    }

    /** Whether the whole of {@code value} matches. */
    public boolean matches(String value) {
        return pattern.matcher(value).matches();
    }

    /** The match of the whole of {@code value}, or null. */
    public Matcher match(String value) {
        Matcher m = pattern.matcher(value);
        return m.matches() ? m : null;
    }

    /** The expression as written. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}

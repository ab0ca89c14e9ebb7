package io.vedetta.agent.relabel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One relabelling rule as Prometheus 2.42 reads and applies it. Defaults as Prometheus': {@code action: replace},
 * {@code separator: ";"}, {@code regex: (.*)}, {@code replacement: $1}. A rule that Prometheus would refuse is refused
 * here with the same reason ({@link IllegalArgumentException} naming the field), so a configuration that loads here
 * loads there.
 */
public final class RelabelRule {

    public static final String DEFAULT_SEPARATOR = ";";
    public static final String DEFAULT_REGEX = "(.*)";
    public static final String DEFAULT_REPLACEMENT = "$1";
    /** Prometheus' check of a replace target before expansion: names, and $1/${name} references. */
    private static final Pattern TARGET = Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+}|\\w+))+\\w*)+$");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final List<String> sourceLabels;
    private final String separator;
    private final GoRegex regex;
    private final long modulus;
    private final String targetLabel;
    private final String replacement;
    private final RelabelAction action;

    private RelabelRule(List<String> sourceLabels, String separator, GoRegex regex, long modulus, String targetLabel,
            String replacement, RelabelAction action) {
        this.sourceLabels = List.copyOf(sourceLabels);
        this.separator = separator;
        this.regex = regex;
        this.modulus = modulus;
        this.targetLabel = targetLabel;
        this.replacement = replacement;
        this.action = action;
    }

    /** The fields of a rule as written; null means absent (the default). */
    public record Written(List<String> sourceLabels, String separator, String regex, Long modulus, String targetLabel,
            String replacement, String action) {
    }

    /** Validates and compiles a rule as Prometheus does when it loads its configuration. */
    public static RelabelRule of(Written w) {
        RelabelAction action = action(w.action());
        List<String> sources = w.sourceLabels() == null ? List.of() : w.sourceLabels();
        for (String source : sources) {
            if (!LABEL_NAME.matcher(source).matches()) {
                throw new IllegalArgumentException("source_labels: \"" + source + "\" is not a valid label name");
            }
        }
        String separator = w.separator() == null ? DEFAULT_SEPARATOR : w.separator();
        GoRegex regex = GoRegex.compile(w.regex() == null ? DEFAULT_REGEX : w.regex());
        String target = w.targetLabel() == null ? "" : w.targetLabel();
        String replacement = w.replacement() == null ? DEFAULT_REPLACEMENT : w.replacement();
        long modulus = w.modulus() == null ? 0 : w.modulus();
        switch (action) {
            case REPLACE, LOWERCASE, UPPERCASE, HASHMOD, KEEPEQUAL, DROPEQUAL -> {
                if (target.isEmpty()) {
                    throw new IllegalArgumentException("the " + action.written() + " action needs target_label");
                }
            }
            default -> { }
        }
        if ((action == RelabelAction.REPLACE) && !TARGET.matcher(target).matches()) {
            throw new IllegalArgumentException("target_label: \"" + target + "\" is not a valid label name or"
                    + " template");
        }
        if ((action == RelabelAction.LOWERCASE || action == RelabelAction.UPPERCASE || action == RelabelAction.HASHMOD
                || action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL)
                && !LABEL_NAME.matcher(target).matches()) {
            throw new IllegalArgumentException("target_label: \"" + target + "\" is not a valid label name");
        }
        if ((action == RelabelAction.LOWERCASE || action == RelabelAction.UPPERCASE)
                && !replacement.equals(DEFAULT_REPLACEMENT)) {
            throw new IllegalArgumentException("the " + action.written() + " action takes no replacement");
        }
        if (action == RelabelAction.HASHMOD && modulus <= 0) {
            throw new IllegalArgumentException("the hashmod action needs a modulus greater than 0");
        }
        if (action == RelabelAction.LABELMAP && !TARGET.matcher(replacement).matches()) {
            throw new IllegalArgumentException("replacement: \"" + replacement + "\" is not a valid label name or"
                    + " template for labelmap");
        }
        if ((action == RelabelAction.LABELDROP || action == RelabelAction.LABELKEEP)
                && (!sources.isEmpty() || !target.isEmpty() || modulus != 0 || !separator.equals(DEFAULT_SEPARATOR)
                        || !replacement.equals(DEFAULT_REPLACEMENT))) {
            throw new IllegalArgumentException("the " + action.written() + " action takes only regex");
        }
        if ((action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL)
                && (sources.isEmpty() || w.regex() != null || modulus != 0 || !separator.equals(DEFAULT_SEPARATOR)
                        || !replacement.equals(DEFAULT_REPLACEMENT))) {
            throw new IllegalArgumentException("the " + action.written() + " action takes only source_labels and"
                    + " target_label");
        }
        return new RelabelRule(sources, separator, regex, modulus, target, replacement, action);
    }

    private static RelabelAction action(String written) {
        if (written == null) {
            return RelabelAction.REPLACE;
        }
        for (RelabelAction a : RelabelAction.values()) {
            if (a.written().equals(written.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        List<String> names = new ArrayList<>();
        for (RelabelAction a : RelabelAction.values()) {
            names.add(a.written());
        }
        throw new IllegalArgumentException("action: unknown action \"" + written + "\" (use one of "
                + String.join(", ", names) + ")");
    }

    /** Applies the rule to {@code labels}; false when the rule drops the series or target. */
    public boolean apply(LabelBuilder labels) {
        String value = sourceValue(labels);
        switch (action) {
            case DROP -> {
                return !regex.matches(value);
            }
            case KEEP -> {
                return regex.matches(value);
            }
            case DROPEQUAL -> {
                return !labels.get(targetLabel).equals(value);
            }
            case KEEPEQUAL -> {
                return labels.get(targetLabel).equals(value);
            }
            case REPLACE -> replace(labels, value);
            case LOWERCASE -> labels.set(targetLabel, value.toLowerCase(Locale.ROOT));
            case UPPERCASE -> labels.set(targetLabel, value.toUpperCase(Locale.ROOT));
            case HASHMOD -> labels.set(targetLabel, Long.toUnsignedString(Long.remainderUnsigned(md5Low64(value),
                    modulus)));
            case LABELMAP -> {
                for (Map.Entry<String, String> l : labels.toMap().entrySet()) {
                    Matcher m = regex.match(l.getKey());
                    if (m != null) {
                        labels.set(GoTemplate.expand(replacement, m), l.getValue());
                    }
                }
            }
            case LABELDROP -> labels.toMap().keySet().stream().filter(regex::matches).forEach(labels::delete);
            case LABELKEEP -> labels.toMap().keySet().stream().filter(n -> !regex.matches(n)).forEach(labels::delete);
            default -> throw new IllegalStateException("unhandled action " + action);
        }
        return true;
    }

    private String sourceValue(LabelBuilder labels) {
        if (sourceLabels.isEmpty()) {
            return "";
        }
        if (sourceLabels.size() == 1) {
            return labels.get(sourceLabels.get(0));
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sourceLabels.size(); i++) {
            if (i > 0) {
                b.append(separator);
            }
            b.append(labels.get(sourceLabels.get(i)));
        }
        return b.toString();
    }

    /** No match: nothing changes; a target that expands to an invalid name is removed; an empty value removes it. */
    private void replace(LabelBuilder labels, String value) {
        Matcher m = regex.match(value);
        if (m == null) {
            return;
        }
        String target = GoTemplate.expand(targetLabel, m);
        if (!LABEL_NAME.matcher(target).matches()) {
            labels.delete(targetLabel);
            return;
        }
        labels.set(target, GoTemplate.expand(replacement, m));
    }

    /**
     * The hash Prometheus' hashmod takes: the MD5 of the value, of which Go's {@code sum64} keeps the last eight
     * bytes (the shifts of the first eight are 64 or more, which in Go give zero).
     */
    private static long md5Low64(String value) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
        long sum = 0;
        for (int i = 8; i < 16; i++) {
            sum = (sum << 8) | (hash[i] & 0xff);
        }
        return sum;
    }

    public RelabelAction action() {
        return action;
    }

    @Override
    public String toString() {
        return "{action: " + action.written() + ", source_labels: " + sourceLabels + ", regex: " + regex
                + ", target_label: " + targetLabel + ", replacement: " + replacement + "}";
    }
}

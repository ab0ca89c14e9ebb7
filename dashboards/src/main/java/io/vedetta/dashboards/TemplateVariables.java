package io.vedetta.dashboards;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces Grafana's template variables in a query by concrete values, as Grafana does before it sends the
 * query, so that promtool and a real Prometheus can take it. Knows Grafana's three syntaxes ({@code $name},
 * {@code ${name}} with an optional {@code :format}, {@code [[name]]}). {@code $1}, {@code $2}... are left alone:
 * they are label_replace back-references, and Grafana leaves them alone too because no variable has such a name.
 */
public final class TemplateVariables {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{(\\w+)(?::[^}]+)?}|\\[\\[(\\w+)(?::\\w+)?]]|\\$(\\w+)");

    private final Map<String, String> values;

    /** {@code values} by variable name, built-ins included (e.g. {@code __rate_interval -> 1m}). */
    public TemplateVariables(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** {@code expr} with every variable replaced; fails naming a variable it has no value for. */
    public String substitute(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value;
            if (name.chars().allMatch(Character::isDigit)) {
                value = m.group();
            } else if (values.containsKey(name)) {
                value = values.get(name);
            } else {
                throw new IllegalArgumentException("no value for variable $" + name + " in " + expr
                        + "; known: " + values.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}

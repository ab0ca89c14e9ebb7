package io.vedetta.agent.metrics;

import java.util.List;
import java.util.function.Predicate;

/**
 * The {@code name[]} parameters of a {@code /metrics} request, as a filter of family names with client_java's
 * semantics ({@code MetricNameFilter.nameMustBeEqualTo}): a family is served when a requested name starts with
 * the family's name, so {@code name[]=foo_total} gets counter {@code foo}. Unlike client_java's filter it keeps the
 * names, so that {@link ServedRegistry} can collect only the sources that could produce one of them.
 */
public final class RequestedNames implements Predicate<String> {

    private final List<String> names;

    public RequestedNames(List<String> names) {
        this.names = List.copyOf(names);
    }

    /**
     * Whether the family {@code familyName} (client_java's name: a counter's without {@code _total}) is served. Given
     * a prefix instead, whether any family starting with it could be: a requested name that starts with such a
     * family's name starts with the prefix too.
     */
    @Override
    public boolean test(String familyName) {
        for (String name : names) {
            if (name.startsWith(familyName)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return names.toString();
    }
}

package io.vedetta.agent.metrics;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The families a {@link MetricSource} can produce, so that a scrape filtered by {@code name[]} collects only the
 * sources that could serve a requested name. A declaration must never leave out a family the source produces:
 * sources that pass through another program's names either declare that they can produce anything or hold to
 * the prefixes they declare (families outside them are left out and counted as {@code undeclared_family}).
 */
public final class FamilyNames {

    private static final FamilyNames ANY = new FamilyNames(Set.of(), List.of(), true);

    private final Set<String> names;
    private final List<String> prefixes;
    private final boolean any;

    private FamilyNames(Set<String> names, List<String> prefixes, boolean any) {
        this.names = Set.copyOf(names);
        this.prefixes = List.copyOf(prefixes);
        this.any = any;
    }

    /** A source whose names are not known in advance, such as the kubelet's own {@code /metrics}. */
    public static FamilyNames any() {
        return ANY;
    }

    /** Exactly the families of these catalogue entries. */
    public static FamilyNames of(Collection<MetricName> catalogue) {
        Set<String> names = new LinkedHashSet<>();
        catalogue.forEach(metric -> names.add(SeriesBuffer.familyName(metric)));
        return new FamilyNames(names, List.of(), false);
    }

    /**
     * Families exposed under these names; a counter's family is named without {@code _total}, so both forms
     * count.
     */
    public static FamilyNames exposed(String... exposedNames) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : exposedNames) {
            names.add(name);
            names.add(name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name);
        }
        return new FamilyNames(names, List.of(), false);
    }

    /** Families whose names start with one of these. */
    public static FamilyNames prefixed(String... prefixes) {
        return new FamilyNames(Set.of(), List.of(prefixes), false);
    }

    /** Whether a family of this name is among these (client_java's family name, e.g. a counter's without _total). */
    public boolean contains(String familyName) {
        if (any || names.contains(familyName)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (familyName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a scrape asking for {@code requested} could serve one of these families. */
    public boolean couldServe(RequestedNames requested) {
        if (any) {
            return true;
        }
        for (String name : names) {
            if (requested.test(name)) {
                return true;
            }
        }
        for (String prefix : prefixes) {
            if (requested.test(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return any ? "any name" : prefixes.isEmpty() ? names.toString() : "names starting with " + prefixes;
    }
}

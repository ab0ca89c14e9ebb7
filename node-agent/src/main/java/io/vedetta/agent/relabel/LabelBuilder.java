package io.vedetta.agent.relabel;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A label set being relabelled, sorted by name. As in Prometheus a label with an empty value does not exist:
 * setting one to "" removes it. Made for the slow path (a series or target seen for the first time), not per sample.
 */
public final class LabelBuilder {

    private final TreeMap<String, String> labels = new TreeMap<>();

    public LabelBuilder() {
    }

    public LabelBuilder(Map<String, String> labels) {
        labels.forEach(this::set);
    }

    /** The value of {@code name}, "" when it has none. */
    public String get(String name) {
        return labels.getOrDefault(name, "");
    }

    public boolean has(String name) {
        return labels.containsKey(name);
    }

    /** Sets {@code name}; an empty value removes it. */
    public LabelBuilder set(String name, String value) {
        if (value == null || value.isEmpty()) {
            labels.remove(name);
        } else {
            labels.put(name, value);
        }
        return this;
    }

    public LabelBuilder delete(String name) {
        labels.remove(name);
        return this;
    }

    public int size() {
        return labels.size();
    }

    /** Every label in order of name (Java's String order, which for label names is their byte order). */
    public void forEach(BiConsumer<String, String> action) {
        labels.forEach(action);
    }

    /** A copy of the labels, sorted by name. */
    public Map<String, String> toMap() {
        return new TreeMap<>(labels);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        labels.forEach((name, value) -> b.append(b.length() > 1 ? ", " : "").append(name).append("=\"")
                .append(value).append('"'));
        return b.append('}').toString();
    }
}

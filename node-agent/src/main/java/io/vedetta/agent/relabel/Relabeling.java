package io.vedetta.agent.relabel;

import java.util.List;

/** Rules applied in order, each to what the one before left, as Prometheus applies a {@code relabel_configs} list. */
public record Relabeling(List<RelabelRule> rules) {

    public static final Relabeling NONE = new Relabeling(List.of());

    public Relabeling {
        rules = List.copyOf(rules);
    }

    /** Applies every rule to {@code labels}; false as soon as one drops it. */
    public boolean apply(LabelBuilder labels) {
        for (RelabelRule rule : rules) {
            if (!rule.apply(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }
}

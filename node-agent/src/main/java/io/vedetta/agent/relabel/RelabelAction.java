package io.vedetta.agent.relabel;

import java.util.Locale;

/** Prometheus' relabelling actions, written in lower case in a rule's {@code action}. */
public enum RelabelAction {
    REPLACE, KEEP, DROP, KEEPEQUAL, DROPEQUAL, HASHMOD, LABELMAP, LABELDROP, LABELKEEP, LOWERCASE, UPPERCASE;

    /** The action as a rule writes it, e.g. {@code labelmap}. */
    public String written() {
        return name().toLowerCase(Locale.ROOT);
    }
}

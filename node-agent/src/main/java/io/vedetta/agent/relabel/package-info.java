/**
 * Prometheus' relabelling, with its rule syntax and 2.42 semantics: the actions {@code replace}, {@code keep},
 * {@code drop}, {@code keepequal}, {@code dropequal}, {@code hashmod}, {@code labelmap}, {@code labeldrop},
 * {@code labelkeep}, {@code lowercase} and {@code uppercase}; regular expressions anchored at both ends, written in
 * RE2's syntax and run by {@link java.util.regex} ({@link GoRegex} says where the two differ); {@code $1} and
 * {@code ${name}} expanded as Go expands them. Used for scrape targets, scraped series and remote_write. A leaf: it
 * imports nothing of the agent.
 */
package io.vedetta.agent.relabel;

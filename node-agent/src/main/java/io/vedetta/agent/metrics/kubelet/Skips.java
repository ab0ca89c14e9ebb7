package io.vedetta.agent.metrics.kubelet;

/** The lines and samples a parse left out, and the first problem found, for one count and one log line per scrape. */
final class Skips {

    private int count;
    private String first;

    void add(String problem) {
        add(problem, 1);
    }

    /** {@code samples} left out for one {@code problem}. */
    void add(String problem, int samples) {
        count += samples;
        if (first == null) {
            first = problem;
        }
    }

    int count() {
        return count;
    }

    String first() {
        return first;
    }
}

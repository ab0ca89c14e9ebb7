package io.vedetta.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code BENCHMARKS.md}: one section per benchmark ({@code scripts/bench metrics}, later {@code logs}) between
 * markers, so that each run replaces only its own section and leaves the others.
 */
final class BenchmarksFile {

    private static final String HEADER = """
            # Benchmarks

            Measured by `scripts/bench`, never asserted in tests. Each section is replaced by a run of its
            benchmark; figures are from one machine and compare only within a section, which is why each gives
            ratios to a baseline measured in the same run.
            """;

    private BenchmarksFile() {
    }

    /**
     * Prints the section of the benchmark run as {@code scripts/bench <name>} and writes it into {@code file};
     * the command and commit come from the properties scripts/bench sets.
     */
    static void publish(Path file, String name, Report report) throws IOException {
        String markdown = report.markdown(System.getProperty("vedetta.bench.command", "scripts/bench " + name),
                System.getProperty("vedetta.commit", "unknown"));
        System.out.println();
        System.out.println(markdown);
        replaceSection(file, name, markdown);
        System.out.println("written to " + file);
    }

    /** A benchmark's result, rendered as its section of BENCHMARKS.md. */
    interface Report {
        String markdown(String command, String commit);
    }

    static void replaceSection(Path file, String name, String markdown) throws IOException {
        String begin = "<!-- bench:" + name + " -->";
        String end = "<!-- /bench:" + name + " -->";
        String section = begin + "\n" + markdown.strip() + "\n" + end + "\n";
        String text = Files.exists(file) ? Files.readString(file) : HEADER;
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + section + text.substring(to + end.length()).replaceFirst("^\n", "");
        } else {
            text = text.stripTrailing() + "\n\n" + section;
        }
        Files.writeString(file, text);
    }
}

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

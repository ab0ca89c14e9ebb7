package io.vedetta.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code DESIGN.md} names the tests that guard each invariant: every one it names exists. */
class DesignNoteTest {

    private static final Pattern NAMED_TEST = Pattern.compile("`([A-Z][A-Za-z0-9]*Test)\\.([a-z][A-Za-z0-9]*)`");
    /** This module's tests and the end-to-end tests beside it. */
    private static final List<Path> TEST_SOURCES = List.of(Path.of("src/test/java"), Path.of("../tests/src/test/java"));

    @Test
    void everyTestTheDesignNoteNamesExists() throws IOException {
        String note = Files.readString(Path.of("DESIGN.md"));
        Map<String, List<Path>> sources = testSources();
        List<String> missing = new ArrayList<>();
        Matcher named = NAMED_TEST.matcher(note);
        int count = 0;
        while (named.find()) {
            count++;
            if (!declares(sources.getOrDefault(named.group(1), List.of()), named.group(2))) {
                missing.add(named.group(1) + "." + named.group(2));
            }
        }
        assertTrue(count >= 20, "the invariants name their tests: " + count);
        assertEquals(List.of(), missing, "named in DESIGN.md but not found");
    }

    private static boolean declares(List<Path> classes, String method) throws IOException {
        for (Path source : classes) {
            if (Files.readString(source).contains(" void " + method + "(")) {
                return true;
            }
        }
        return false;
    }

    /** Test classes by simple name (two modules may each have one of a name). */
    private static Map<String, List<Path>> testSources() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : TEST_SOURCES) {
            assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " holds tests");
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith("Test.java")).forEach(files::add);
            }
        }
        return files.stream().collect(Collectors.groupingBy(DesignNoteTest::className));
    }

    private static String className(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }
}

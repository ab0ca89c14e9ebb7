package io.vedetta.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AlertingSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/RELIABILITY.md claims no more than the tests show: every test a row names exists and is a test. */
class ReliabilityCatalogueTest {

    private static final Pattern ROW = Pattern.compile("^\\|(.+)\\|(.+)\\|(.+)\\|\\s*$");
    private static final Pattern TEST = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([a-z][A-Za-z0-9]*)`");

    @Test
    void everyTestARowNamesExists() throws IOException {
        Path repo = AlertingSetup.repo();
        List<String> rows = rows(Files.readString(repo.resolve("docs/RELIABILITY.md")));

        assertTrue(rows.size() >= 40, "the catalogue has " + rows.size() + " rows");
        assertEquals(List.of(), missing(rows, testSources(repo)));
    }

    @Test
    void aRowNamingATestThatDoesNotExistIsFound(@TempDir Path dir) throws IOException {
        Path test = Files.createDirectories(dir.resolve("m/src/test/java/x")).resolve("SomethingTest.java");
        Files.writeString(test, """
                class SomethingTest {
                    @Test
                    void holds() {
                    }

                    void helperThatIsNoTest() {
                    }
                }
                """);
        List<String> rows = rows("""
                | input | behaviour | test |
                |---|---|---|
                | a | b | `SomethingTest#holds` |
                | c | d | `SomethingTest#vanished`, `OtherTest#any` |
                | e | f | `SomethingTest#helperThatIsNoTest` |
                | g | h | no test named |
                """);

        assertEquals(List.of("SomethingTest#vanished: no such test method", "OtherTest#any: no test class OtherTest",
                "SomethingTest#helperThatIsNoTest: no such test method", "row names no test: | g | h | no test named |"),
                missing(rows, testSources(dir)));
    }

    /** The table rows, header and separator lines left out. */
    private static List<String> rows(String markdown) {
        List<String> rows = new ArrayList<>();
        for (String line : markdown.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches() && !line.startsWith("|---") && !m.group(3).trim().equals("test")) {
                rows.add(line);
            }
        }
        return rows;
    }

    /** What is wrong with each row: a test class or method that does not exist, or no test at all. */
    private static List<String> missing(List<String> rows, Map<String, List<Path>> sources) throws IOException {
        List<String> problems = new ArrayList<>();
        for (String row : rows) {
            Matcher test = TEST.matcher(ROW.matcher(row).replaceFirst("$3"));
            boolean any = false;
            while (test.find()) {
                any = true;
                String name = test.group(1) + "#" + test.group(2);
                List<Path> files = sources.getOrDefault(test.group(1), List.of());
                if (files.isEmpty()) {
                    problems.add(name + ": no test class " + test.group(1));
                } else if (!declaresTest(files, test.group(2))) {
                    problems.add(name + ": no such test method");
                }
            }
            if (!any) {
                problems.add("row names no test: " + row);
            }
        }
        return problems;
    }

    /**
     * Whether one of {@code files} declares {@code method} as a test: an {@code @Test} or {@code @ParameterizedTest}
     * among the lines between the end of the member before it and its declaration.
     */
    private static boolean declaresTest(List<Path> files, String method) throws IOException {
        Pattern declaration = Pattern.compile("\\bvoid\\s+" + method + "\\s*\\(");
        for (Path file : files) {
            String source = Files.readString(file);
            Matcher m = declaration.matcher(source);
            while (m.find()) {
                int previousMember = Math.max(source.lastIndexOf("\n    }", m.start()),
                        source.lastIndexOf(";\n", m.start()));
                String annotations = source.substring(Math.max(0, previousMember), m.start());
                if (annotations.contains("@Test") || annotations.contains("@ParameterizedTest")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Test classes by simple name, from every {@code src/test/java} under {@code root}. */
    private static Map<String, List<Path>> testSources(Path root) {
        Map<String, List<Path>> sources = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/test/java/")
                            && !f.toString().contains("/node_modules/") && !f.toString().contains("/target/"))
                    .forEach(f -> sources.computeIfAbsent(f.getFileName().toString().replace(".java", ""),
                            k -> new ArrayList<>()).add(f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sources;
    }
}

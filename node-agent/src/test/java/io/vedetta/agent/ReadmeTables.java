package io.vedetta.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the README's reference tables list, for the tests that keep them true. */
public final class ReadmeTables {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private ReadmeTables() {
    }

    /**
     * The code spans in the first column of the tables of the section {@code ## heading}: a name the README mentions
     * only in prose, in another column or in another section is not listed. The header row's plain words are not code.
     */
    public static Set<String> firstColumn(String markdown, String heading) {
        String text = "\n" + markdown;
        int start = text.indexOf("\n## " + heading + "\n");
        assertTrue(start >= 0, "README.md has no \"## " + heading + "\" section");
        int end = text.indexOf("\n## ", start + 1);
        Set<String> names = new TreeSet<>();
        for (String line : text.substring(start, end < 0 ? text.length() : end).split("\n")) {
            if (line.startsWith("|") && !line.startsWith("|---")) {
                Matcher name = CODE.matcher(line.split("\\|")[1]);
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }
}

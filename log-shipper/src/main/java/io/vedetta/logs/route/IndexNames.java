package io.vedetta.logs.route;

import java.util.Locale;

/** Turns route values (namespaces, annotation values) into valid index name parts. */
final class IndexNames {

    private static final int MAX_PART = 100;

    private IndexNames() {
    }

    /**
     * Lowercase, with the characters Elasticsearch refuses in index names ({@code \ / * ? " < > | , # :} and
     * whitespace) replaced by {@code _}, without leading {@code - _ +}, at most 100 characters.
     */
    static String sanitise(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(Math.min(lower.length(), MAX_PART));
        for (int i = 0; i < lower.length() && out.length() < MAX_PART; i++) {
            char c = lower.charAt(i);
            boolean refused = "\\/*?\"<>|,#:".indexOf(c) >= 0 || Character.isWhitespace(c) || c < 0x20;
            if (out.length() == 0 && (c == '-' || c == '_' || c == '+')) {
                continue;
            }
            out.append(refused ? '_' : c);
        }
        return out.toString();
    }
}

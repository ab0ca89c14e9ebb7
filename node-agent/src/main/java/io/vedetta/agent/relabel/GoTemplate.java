package io.vedetta.agent.relabel;

import java.util.regex.Matcher;

/**
 * Expands a replacement the way Go's {@code Regexp.Expand} does, which Prometheus uses: {@code $1}, {@code ${1}},
 * {@code $name} and {@code ${name}} are groups of the match, a name being the longest run of letters, digits and
 * underscores ({@code $1x} is the group named {@code 1x}, which does not exist, not group 1 then {@code x}); a group
 * that does not exist or did not take part in the match is empty; {@code $$} is a dollar; a {@code $} that starts
 * none of these is kept. Java's {@code Matcher.replaceAll} reads {@code $1x} differently, hence this class.
 */
final class GoTemplate {

    private GoTemplate() {
    }

    static String expand(String template, Matcher match) {
        if (template.indexOf('$') < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        int i = 0;
        while (i < template.length()) {
            char ch = template.charAt(i);
            if (ch != '$' || i + 1 >= template.length()) {
                out.append(ch);
                i++;
                continue;
            }
            if (template.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (template.charAt(i + 1) == '{') {
                int close = template.indexOf('}', i + 2);
                name = close < 0 ? "" : template.substring(i + 2, close);
                end = close + 1;
                if (close < 0 || !isName(name)) {
                    out.append('$');
                    i++;
                    continue;
                }
            } else {
                end = i + 1;
                while (end < template.length() && isNameChar(template.charAt(end))) {
                    end++;
                }
                name = template.substring(i + 1, end);
                if (name.isEmpty()) {
                    out.append('$');
                    i++;
                    continue;
                }
            }
            out.append(group(match, name));
            i = end;
        }
        return out.toString();
    }

    private static String group(Matcher match, String name) {
        String value;
        if (name.chars().allMatch(Character::isDigit)) {
            if (name.length() > 1 && name.charAt(0) == '0') {
                return "";
            }
            int index;
            try {
                index = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                return "";
            }
            value = index <= match.groupCount() ? match.group(index) : null;
        } else {
            try {
                value = match.group(name);
            } catch (IllegalArgumentException e) {
                value = null;
            }
        }
        return value == null ? "" : value;
    }

    private static boolean isName(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> isNameChar((char) c));
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }
}

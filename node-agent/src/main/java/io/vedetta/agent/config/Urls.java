package io.vedetta.agent.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the user info ({@code user:password@}) of URLs before they are quoted in an error or a log line. Works on
 * text that is not a valid URL too (a space, an underscore in the host, a missing scheme), because that is when a
 * URL gets quoted in an error. It errs on the side of hiding: everything from the start of the authority to the
 * last {@code @} goes, since a password may itself hold {@code /}, {@code #} or {@code @}.
 */
public final class Urls {

    static final String HIDDEN = "***";

    /** A URL with a scheme inside free text, up to the next white space or quote. */
    private static final Pattern IN_TEXT = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'`]*@[^\\s\"'`]*");

    private Urls() {
    }

    /** {@code raw} with its user info replaced by {@code ***}; unchanged when it has none. */
    public static String redacted(String raw) {
        int scheme = raw.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = raw.lastIndexOf('@');
        if (at < start) {
            return raw;
        }
        return raw.substring(0, start) + HIDDEN + raw.substring(at);
    }

    /** Whether {@code raw} carries user info (anything before an {@code @} in its authority, or after). */
    public static boolean hasUserInfo(String raw) {
        return !redacted(raw).equals(raw);
    }

    /** {@code text} with the user info of every {@code scheme://…@…} URL in it hidden. */
    public static String redactedIn(String text) {
        Matcher m = IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(redacted(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }
}

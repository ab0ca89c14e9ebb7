package io.vedetta.logs.parse;

import java.util.regex.Pattern;

/**
 * Go panics and fatal errors: from {@code panic: …} or {@code fatal error: …} through the blank lines,
 * {@code goroutine N [state]:} headers, function lines, indented file lines and {@code created by …}.
 */
final class GoPanicRule implements MultilineRule {
    private static final Pattern START = Pattern.compile("^(?:panic: |fatal error: |http: panic serving )");
    private static final Pattern CONTINUATION = Pattern.compile(
            "^(?:$|\\s"
                    + "|goroutine \\d+ \\[[^\\]]*\\]:$"
                    + "|\\[signal "
                    + "|created by "
                    + "|runtime stack:$"
                    + "|\\.\\.\\."
                    + "|\\S+\\(.*\\)$)");

    private boolean inPanic;

    @Override
    public boolean continues(String line) {
        if (START.matcher(line).lookingAt()) {
            inPanic = true;
            return false;
        }
        if (inPanic && CONTINUATION.matcher(line).lookingAt()) {
            return true;
        }
        inPanic = false;
        return false;
    }
}

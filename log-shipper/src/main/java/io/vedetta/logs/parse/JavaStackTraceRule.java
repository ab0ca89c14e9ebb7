package io.vedetta.logs.parse;

import java.util.regex.Pattern;

/**
 * JVM stack traces: frames, "... N more", "Caused by:", "Suppressed:", and an exception header such as
 * {@code java.lang.IllegalStateException: boom} right after the log line that reported it.
 */
final class JavaStackTraceRule implements MultilineRule {
    private static final Pattern CONTINUATION = Pattern.compile(
            "^(?:\\s+at\\s"
                    + "|\\s*\\.\\.\\. \\d+ (?:more|common frames omitted)"
                    + "|\\s*Caused by: "
                    + "|\\s*Suppressed: "
                    + "|(?:[a-zA-Z_$][\\w$]*\\.)+[\\w$]*(?:Exception|Error|Throwable)(?::\\s.*)?$)");

    @Override
    public boolean continues(String line) {
        return CONTINUATION.matcher(line).lookingAt();
    }
}

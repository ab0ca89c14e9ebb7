package io.vedetta.logs.parse;

import java.util.regex.Pattern;

/**
 * Decides whether a line continues the record begun by earlier lines of the same stream. Called with every
 * line in order (also when nothing is held) so that stateful rules can follow a traceback's structure.
 * One instance per stream of one file.
 */
interface MultilineRule {

    boolean continues(String line);

    static MultilineRule forMode(MultilineMode mode, String startPattern) {
        return switch (mode) {
            case JAVA -> new JavaStackTraceRule();
            case PYTHON -> new PythonTracebackRule();
            case GO -> new GoPanicRule();
            case REGEX -> new StartPatternRule(Pattern.compile(startPattern));
            case NONE -> throw new IllegalArgumentException("mode NONE joins nothing and has no rule");
        };
    }

    /** A line matching the configured start pattern (searched, not anchored) begins a record. */
    final class StartPatternRule implements MultilineRule {
        private final Pattern start;

        StartPatternRule(Pattern start) {
            this.start = start;
        }

        @Override
        public boolean continues(String line) {
            return !start.matcher(line).find();
        }
    }

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

    /**
     * Python tracebacks: a record starts at {@code Traceback (most recent call last):}, takes the indented
     * frame lines and the exception line after them, and goes on through chained exceptions ("During handling
     * of the above exception…", "The above exception was the direct cause…") with their blank lines.
     */
    final class PythonTracebackRule implements MultilineRule {
        private static final String TRACEBACK = "Traceback (most recent call last):";

        private enum State { OUTSIDE, FRAMES, AFTER_EXCEPTION, CHAINED }

        private State state = State.OUTSIDE;

        @Override
        public boolean continues(String line) {
            if (line.startsWith(TRACEBACK)) {
                boolean chained = state == State.CHAINED;
                state = State.FRAMES;
                return chained;
            }
            switch (state) {
                case FRAMES -> {
                    if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                        state = State.AFTER_EXCEPTION;
                    }
                    return true;
                }
                case AFTER_EXCEPTION, CHAINED -> {
                    if (line.isEmpty()) {
                        return true;
                    }
                    if (line.startsWith("During handling of the above exception")
                            || line.startsWith("The above exception was the direct cause")) {
                        state = State.CHAINED;
                        return true;
                    }
                    state = State.OUTSIDE;
                    return false;
                }
                default -> {
                    return false;
                }
            }
        }
    }

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
}

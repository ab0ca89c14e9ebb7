package io.vedetta.logs.parse;

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

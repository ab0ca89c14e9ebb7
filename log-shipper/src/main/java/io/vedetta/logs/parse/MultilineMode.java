package io.vedetta.logs.parse;

import java.util.Locale;
import java.util.Optional;

/**
 * How continuation lines (stack traces) are joined into one record. Chosen by {@code logs.multiline.mode}
 * or, per pod, by the annotation {@value #ANNOTATION} ({@code java|python|go|none}).
 */
public enum MultilineMode {
    /** Every line is its own record. */
    NONE,
    /** Java/JVM stack traces: {@code at …}, {@code Caused by:}, {@code ... N more}, exception headers. */
    JAVA,
    /** Python tracebacks, including chained exceptions. */
    PYTHON,
    /** Go panics and fatal errors with their goroutine dumps. */
    GO,
    /** A line matching {@code logs.multiline.startPattern} starts a record; any other line continues it. */
    REGEX;

    public static final String ANNOTATION = "vedetta.io/multiline";

    /**
     * The mode named by a config value or annotation value, case-insensitive. {@code regex} is only
     * accepted from config, where its pattern is validated; an annotation cannot carry a pattern.
     */
    public static Optional<MultilineMode> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (MultilineMode mode : values()) {
            if (mode.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}

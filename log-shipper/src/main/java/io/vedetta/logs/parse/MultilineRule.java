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
}

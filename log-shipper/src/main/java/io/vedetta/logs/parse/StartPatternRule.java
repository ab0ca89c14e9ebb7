package io.vedetta.logs.parse;

import java.util.regex.Pattern;

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

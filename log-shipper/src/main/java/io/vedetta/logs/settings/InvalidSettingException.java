package io.vedetta.logs.settings;

import java.time.Duration;

/**
 * A stage's config record refusing a value. The setting is data, named as the log shipper knows it (relative to the
 * section that holds it: {@code batch.records}, {@code index.dailyPrefix}), so whoever reads the settings from a
 * file can name its full path without parsing this message.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private final String setting;
    private final String problem;

    public InvalidSettingException(String setting, String problem) {
        this(setting, problem, null);
    }

    public InvalidSettingException(String setting, String problem, Throwable cause) {
        super(setting + " " + problem, cause);
        this.setting = setting;
        this.problem = problem;
    }

    /** The setting, relative to the section that holds it, e.g. {@code multiline.startPattern}. */
    public String setting() {
        return setting;
    }

    /** What is wrong with its value, e.g. {@code must be at least 1, got 0}. */
    public String problem() {
        return problem;
    }

    /** Refuses a null, zero or negative duration for {@code setting}. */
    public static void requirePositive(String setting, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidSettingException(setting, "must be a positive duration, got " + value);
        }
    }
}

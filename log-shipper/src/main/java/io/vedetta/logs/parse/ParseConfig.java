package io.vedetta.logs.parse;

import static io.vedetta.logs.settings.InvalidSettingException.requirePositive;

import io.vedetta.logs.settings.InvalidSettingException;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Settings of the parse stage, read by the agent from the YAML section {@code logs}. Validated here so
 * that every error names the setting it is about.
 *
 * @param maxLineBytes           largest message of one record, in UTF-8 bytes; longer lines are split or
 *                               truncated, and merges/joins are flushed before they grow past it
 * @param oversizeLines          what to do with a line longer than {@code maxLineBytes}
 * @param partialFlushTimeout    an incomplete partial-line sequence older than this is emitted as it is
 * @param multilineMode          default multiline mode; a pod annotation may override it
 * @param multilineStartPattern  regex of the first line of a record, for mode {@code REGEX}; empty otherwise
 * @param multilineFlushTimeout  a multiline record with no new line for this long is emitted
 * @param multilineMaxLines      a multiline record is emitted once it has this many lines
 * @param parseJson              parse a message that is a JSON object into fields (the message is kept)
 */
public record ParseConfig(
        int maxLineBytes,
        OversizeAction oversizeLines,
        Duration partialFlushTimeout,
        MultilineMode multilineMode,
        String multilineStartPattern,
        Duration multilineFlushTimeout,
        int multilineMaxLines,
        boolean parseJson) {

    public static final int DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
    /** Below this a split chunk could not even hold a handful of characters; above it one record is absurd. */
    static final int MIN_LINE_BYTES = 1024;
    static final int MAX_LINE_BYTES = 64 * 1024 * 1024;

    public ParseConfig {
        if (maxLineBytes < MIN_LINE_BYTES || maxLineBytes > MAX_LINE_BYTES) {
            throw new InvalidSettingException("maxLineBytes", "must be between " + MIN_LINE_BYTES + " and "
                    + MAX_LINE_BYTES + " bytes, got " + maxLineBytes);
        }
        if (oversizeLines == null) {
            throw new InvalidSettingException("oversizeLines", "must be split or truncate");
        }
        requirePositive("partialFlushTimeout", partialFlushTimeout);
        if (multilineMode == null) {
            throw new InvalidSettingException("multiline.mode", "must be one of none, java, python, go, regex");
        }
        multilineStartPattern = multilineStartPattern == null ? "" : multilineStartPattern;
        if (multilineMode == MultilineMode.REGEX && multilineStartPattern.isEmpty()) {
            throw new InvalidSettingException(
                    "multiline.startPattern", "is required when multiline.mode is regex");
        }
        if (!multilineStartPattern.isEmpty()) {
            try {
                Pattern.compile(multilineStartPattern);
            } catch (PatternSyntaxException e) {
                throw new InvalidSettingException("multiline.startPattern", "is not a valid regular expression: "
                        + e.getDescription(), e);
            }
        }
        requirePositive("multiline.flushTimeout", multilineFlushTimeout);
        if (multilineMaxLines < 2) {
            throw new InvalidSettingException("multiline.maxLines", "must be at least 2, got " + multilineMaxLines);
        }
    }

    public static ParseConfig defaults() {
        return new ParseConfig(DEFAULT_MAX_LINE_BYTES, OversizeAction.SPLIT, Duration.ofSeconds(5),
                MultilineMode.NONE, "", Duration.ofSeconds(2), 500, false);
    }
}

package io.vedetta.logs.parse;

/** What happens to a line longer than {@code logs.maxLineBytes}. Both are counted; neither drops the line. */
public enum OversizeAction {
    /** Cut the message into consecutive records of at most the limit each. */
    SPLIT,
    /** Keep the first {@code maxLineBytes} bytes and drop the rest of that line. */
    TRUNCATE
}

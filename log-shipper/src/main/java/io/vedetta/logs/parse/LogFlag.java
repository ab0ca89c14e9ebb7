package io.vedetta.logs.parse;

/**
 * Something notable that happened to a record on its way through the parse stage. Shipped as the
 * record's {@code tags} so that users can find and count affected records in Elasticsearch.
 */
public enum LogFlag {
    /** The line fits neither CRI nor docker json-file; its raw text is the message. */
    UNPARSED("unparsed"),
    /** Invalid UTF-8 bytes were replaced by U+FFFD. */
    INVALID_UTF8("invalid_utf8"),
    /** The line was longer than {@code logs.maxLineBytes}; the rest was dropped. */
    TRUNCATED("truncated"),
    /** The line was longer than {@code logs.maxLineBytes} and was cut into several records. */
    SPLIT("split"),
    /** A partial-line sequence never got its final line (timeout or end of file). */
    PARTIAL_INCOMPLETE("partial_incomplete"),
    /** Merging partial lines or joining a multiline record stopped at the size or line limit. */
    MERGE_LIMIT("merge_limit");

    private final String tag;

    LogFlag(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}

package io.vedetta.logs.parse;

/** The container stream a line was written to; {@code UNKNOWN} for a line that fits no format. */
public enum LogStream {
    STDOUT("stdout"), STDERR("stderr"), UNKNOWN("unknown");

    private final String text;

    LogStream(String text) {
        this.text = text;
    }

    /** The name as the runtimes write it and as it is shipped. */
    public String text() {
        return text;
    }
}

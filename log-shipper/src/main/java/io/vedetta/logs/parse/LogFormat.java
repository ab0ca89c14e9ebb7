package io.vedetta.logs.parse;

/** The on-disk format of a container log file; {@code UNPARSED} marks a line that fits neither. */
public enum LogFormat {
    CRI("cri"), DOCKER("docker"), UNPARSED("unparsed");

    private final String tag;

    LogFormat(String tag) {
        this.tag = tag;
    }

    /** Value of the {@code format} label on the line counter. */
    public String tag() {
        return tag;
    }
}

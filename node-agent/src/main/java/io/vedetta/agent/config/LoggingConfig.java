package io.vedetta.agent.config;

/** The agent's own log output: one JSON object per line by default, or plain text for humans. */
public record LoggingConfig(Format format, Level level) {

    public enum Format { JSON, TEXT }

    public enum Level { ERROR, WARN, INFO, DEBUG, TRACE }

    static LoggingConfig from(ConfigNode n) {
        return new LoggingConfig(
                n.choice("format", Format.JSON, Format.class),
                n.choice("level", Level.INFO, Level.class));
    }
}

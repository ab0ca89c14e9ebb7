package io.vedetta.agent.config;

/**
 * A configuration error that names the setting, what is wrong with it and how to fix it.
 * {@code Main} prints the message and exits 1 before anything starts.
 */
public final class ConfigException extends RuntimeException {

    private final String setting;

    public ConfigException(String setting, String problem, String fix) {
        super("invalid setting `" + setting + "`: " + problem + ". Fix: " + fix);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}

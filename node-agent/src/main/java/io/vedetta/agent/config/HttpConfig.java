package io.vedetta.agent.config;

/** The agent's own HTTP server: {@code /metrics}, {@code /healthz}, {@code /readyz}. */
public record HttpConfig(String address, int port) {

    public static final int DEFAULT_PORT = 9102;

    static HttpConfig from(ConfigNode n) {
        return new HttpConfig(
                n.string("address", "0.0.0.0"),
                n.integer("port", DEFAULT_PORT, 0, 65535));
    }
}

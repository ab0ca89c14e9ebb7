package io.vedetta.agent.config;

import java.time.Duration;

/**
 * The agent's own HTTP server: {@code /metrics}, {@code /healthz}, {@code /readyz}, and the limits that keep slow
 * or hostile clients from stopping it.
 *
 * @param requestHeaderTimeout longest time from a connection's first byte (or its opening) to the end of a
 *     request's headers
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 * @param responseTimeout longest time a client may take to read a response
 * @param maxConnections connections open at once; more are closed as they arrive
 * @param maxConnectionsPerClient connections open at once from one address
 * @param maxRequestHeaderBytes longest request line and headers, together
 */
public record HttpConfig(String address, int port, Duration requestHeaderTimeout, Duration idleTimeout,
        Duration responseTimeout, int maxConnections, int maxConnectionsPerClient, int maxRequestHeaderBytes) {

    public static final int DEFAULT_PORT = 9102;

    /** The defaults' limits on {@code address} and {@code port}. */
    public HttpConfig(String address, int port) {
        this(address, port, Duration.ofSeconds(10), Duration.ofSeconds(90), Duration.ofSeconds(30), 256, 16, 8192);
    }

    static HttpConfig from(ConfigNode n) {
        HttpConfig defaults = new HttpConfig("0.0.0.0", DEFAULT_PORT);
        long headerBytes = n.bytes("maxRequestHeaderBytes", defaults.maxRequestHeaderBytes());
        if (headerBytes < 1024 || headerBytes > (1 << 20)) {
            throw new ConfigException(n.path("maxRequestHeaderBytes"), headerBytes + " bytes is out of range",
                    "use between 1KiB and 1MiB");
        }
        HttpConfig config = new HttpConfig(
                n.string("address", defaults.address()),
                n.integer("port", DEFAULT_PORT, 0, 65535),
                n.duration("requestHeaderTimeout", defaults.requestHeaderTimeout()),
                n.duration("idleTimeout", defaults.idleTimeout()),
                n.duration("responseTimeout", defaults.responseTimeout()),
                n.integer("maxConnections", defaults.maxConnections(), 8, 65536),
                n.integer("maxConnectionsPerClient", defaults.maxConnectionsPerClient(), 1, 65536),
                (int) headerBytes);
        positive(n, "requestHeaderTimeout", config.requestHeaderTimeout());
        positive(n, "idleTimeout", config.idleTimeout());
        positive(n, "responseTimeout", config.responseTimeout());
        if (config.maxConnectionsPerClient() > config.maxConnections()) {
            throw new ConfigException(n.path("maxConnectionsPerClient"), "more than http.maxConnections",
                    "make http.maxConnectionsPerClient at most http.maxConnections, so that one client cannot take"
                            + " every connection");
        }
        return config;
    }

    private static void positive(ConfigNode n, String key, Duration value) {
        if (value.isZero()) {
            throw new ConfigException(n.path(key), "a zero timeout would cut off every request",
                    "set a positive duration such as 10s");
        }
    }
}

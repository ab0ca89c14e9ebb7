package io.vedetta.agent.config;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's own HTTP server: {@code /metrics}, {@code /healthz}, {@code /readyz}, and the limits that keep slow
 * or hostile clients from stopping it. The address may be written {@code ${NAME}} to take it from the environment
 * variable NAME: with {@code hostNetwork: true} the chart's {@code HOST_IP} (the downward API's
 * {@code status.hostIP}) keeps the port off the node's other interfaces.
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
    private static final Pattern FROM_ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** The defaults' limits on {@code address} and {@code port}. */
    public HttpConfig(String address, int port) {
        this(address, port, Duration.ofSeconds(10), Duration.ofSeconds(90), Duration.ofSeconds(30), 256, 16, 8192);
    }

    static HttpConfig from(ConfigNode n, Map<String, String> env) {
        HttpConfig defaults = new HttpConfig("0.0.0.0", DEFAULT_PORT);
        long headerBytes = n.bytes("maxRequestHeaderBytes", defaults.maxRequestHeaderBytes());
        if (headerBytes < 1024 || headerBytes > (1 << 20)) {
            throw new ConfigException(n.path("maxRequestHeaderBytes"), headerBytes + " bytes is out of range",
                    "use between 1KiB and 1MiB");
        }
        HttpConfig config = new HttpConfig(
                address(n, env),
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

    private static String address(ConfigNode n, Map<String, String> env) {
        String raw = n.string("address", "0.0.0.0").trim();
        Matcher variable = FROM_ENV.matcher(raw);
        if (!variable.matches()) {
            if (raw.contains("${")) {
                throw new ConfigException(n.path("address"), "\"" + raw + "\" mixes text with a ${...} reference",
                        "write either an address or exactly one reference such as ${HOST_IP}");
            }
            return raw;
        }
        String name = variable.group(1);
        String value = env.getOrDefault(name, "").trim();
        if (value.isEmpty()) {
            throw new ConfigException(n.path("address"), "is " + raw + " but the environment variable " + name
                    + " is not set", "set " + name + " in the pod (the chart sets HOST_IP from the downward API's"
                    + " status.hostIP), or write the address itself");
        }
        return value;
    }
}

package io.vedetta.agent.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's own HTTP server: {@code /metrics}, {@code /healthz}, {@code /readyz}. The address may be written
 * {@code ${NAME}} to take it from the environment variable NAME: with {@code hostNetwork: true} the chart's
 * {@code HOST_IP} (the downward API's {@code status.hostIP}) keeps the port off the node's other interfaces.
 */
public record HttpConfig(String address, int port) {

    public static final int DEFAULT_PORT = 9102;
    private static final Pattern FROM_ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    static HttpConfig from(ConfigNode n, Map<String, String> env) {
        return new HttpConfig(
                address(n, env),
                n.integer("port", DEFAULT_PORT, 0, 65535));
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

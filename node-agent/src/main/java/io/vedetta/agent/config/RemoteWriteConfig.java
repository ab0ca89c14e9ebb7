package io.vedetta.agent.config;

import io.vedetta.agent.relabel.Relabeling;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pushing every series the agent serves and scrapes by Prometheus remote_write 1.0 ({@code remoteWrite}): one or more
 * endpoints, each with its own queue over one write-ahead log on disk. Credentials come from files (a mounted
 * Secret), re-read when they change, never from this file.
 *
 * @param externalLabels added to every series that lacks the label; {@code node} is added from the node name
 *     unless set here
 * @param walDir the write-ahead log's directory; default {@code <logs.stateDir>/wal}
 * @param walMaxBytes the log's size on disk beyond which its oldest segment is dropped (counted)
 * @param walMaxAge samples older than this that were not sent are dropped with their segment (counted)
 */
public record RemoteWriteConfig(
        List<Endpoint> endpoints,
        Map<String, String> externalLabels,
        Path walDir,
        long walMaxBytes,
        Duration walMaxAge) {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public RemoteWriteConfig {
        endpoints = List.copyOf(endpoints);
        externalLabels = Map.copyOf(externalLabels);
    }

    public boolean enabled() {
        return !endpoints.isEmpty();
    }

    /**
     * One receiver.
     *
     * @param name the {@code remote_name} label of its self-metrics, unique; default the URL's host and port
     * @param timeout of one request (Prometheus' {@code remote_timeout})
     */
    public record Endpoint(
            String name,
            URI url,
            Duration timeout,
            Map<String, String> headers,
            Optional<String> username,
            Optional<Path> usernameFile,
            Optional<Path> passwordFile,
            Optional<Path> bearerTokenFile,
            Optional<Path> caFile,
            boolean insecureSkipVerify,
            Relabeling writeRelabelConfigs,
            Queue queue) {

        public Endpoint {
            headers = Map.copyOf(headers);
        }
    }

    /** The queue settings under Prometheus' names and with its defaults (2.42). */
    public record Queue(
            int capacity,
            int maxShards,
            int minShards,
            int maxSamplesPerSend,
            Duration batchSendDeadline,
            Duration minBackoff,
            Duration maxBackoff,
            boolean retryOnRateLimit) {
    }

    static RemoteWriteConfig from(ConfigNode n, Path stateDir, Optional<String> nodeName) {
        List<Endpoint> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<ConfigNode> items = n.sectionList("endpoints");
        for (int i = 0; i < items.size(); i++) {
            Endpoint endpoint = endpoint(items.get(i));
            if (!names.add(endpoint.name())) {
                throw new ConfigException(items.get(i).path("name"), "the name \"" + endpoint.name()
                        + "\" is used twice", "give each endpoint its own name");
            }
            endpoints.add(endpoint);
        }
        Map<String, String> external = new LinkedHashMap<>(n.stringMap("externalLabels"));
        external.forEach((name, value) -> {
            if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
                throw new ConfigException(n.path("externalLabels") + "." + name, "not a valid label name",
                        "use letters, digits and underscores, not starting with a digit or __");
            }
        });
        nodeName.filter(s -> !s.isBlank()).ifPresent(node -> external.putIfAbsent("node", node));
        external.values().removeIf(String::isEmpty);
        long maxBytes = n.bytes("walMaxBytes", 1L << 30);
        if (maxBytes < 16L << 20) {
            throw new ConfigException(n.path("walMaxBytes"), maxBytes + " bytes is too small to hold a segment",
                    "set it to at least 16MiB");
        }
        return new RemoteWriteConfig(endpoints, external,
                n.optionalString("walDir").map(Path::of).orElse(stateDir.resolve("wal")),
                maxBytes, n.duration("walMaxAge", Duration.ofHours(2)));
    }

    private static Endpoint endpoint(ConfigNode n) {
        Optional<URI> url = n.optionalUrl("url", "use basicAuth.usernameFile/passwordFile or bearerTokenFile");
        if (url.isEmpty()) {
            throw new ConfigException(n.path("url"), "every endpoint needs a url",
                    "set it to the receiver's write URL, e.g. http://prometheus:9090/api/v1/write");
        }
        ConfigNode basic = n.section("basicAuth");
        Optional<String> username = basic.optionalString("username");
        Optional<Path> usernameFile = basic.optionalString("usernameFile").map(Path::of);
        Optional<Path> passwordFile = basic.optionalString("passwordFile").map(Path::of);
        Optional<Path> bearer = n.optionalString("bearerTokenFile").map(Path::of);
        if ((username.isPresent() || usernameFile.isPresent()) != passwordFile.isPresent()) {
            throw new ConfigException(basic.path("passwordFile"), "basic auth needs a user name and a password file",
                    "set basicAuth.username (or usernameFile) and basicAuth.passwordFile, or neither");
        }
        if (username.isPresent() && usernameFile.isPresent()) {
            throw new ConfigException(basic.path("usernameFile"), "both username and usernameFile are set",
                    "keep one of them");
        }
        if (passwordFile.isPresent() && bearer.isPresent()) {
            throw new ConfigException(n.path("bearerTokenFile"), "both basic auth and a bearer token are set",
                    "keep either basicAuth or bearerTokenFile");
        }
        Map<String, String> headers = n.stringMap("headers");
        for (String header : headers.keySet()) {
            String lower = header.toLowerCase();
            if (Set.of("authorization", "content-encoding", "content-type", "x-prometheus-remote-write-version",
                    "user-agent", "content-length", "host").contains(lower)) {
                throw new ConfigException(n.path("headers") + "." + header, "this header is set by the agent",
                        "use basicAuth or bearerTokenFile for credentials; remove the others");
            }
        }
        ConfigNode tls = n.section("tls");
        ConfigNode q = n.section("queue");
        int maxShards = q.integer("maxShards", 200, 1, 1000);
        int minShards = q.integer("minShards", 1, 1, 1000);
        if (minShards > maxShards) {
            throw new ConfigException(q.path("minShards"), minShards + " is more than maxShards (" + maxShards + ")",
                    "set minShards to at most maxShards");
        }
        Duration minBackoff = q.duration("minBackoff", Duration.ofMillis(30));
        Duration maxBackoff = q.duration("maxBackoff", Duration.ofSeconds(5));
        if (minBackoff.compareTo(maxBackoff) > 0 || minBackoff.isZero()) {
            throw new ConfigException(q.path("minBackoff"), "must be longer than 0 and at most maxBackoff",
                    "e.g. minBackoff: 30ms, maxBackoff: 5s");
        }
        Queue queue = new Queue(
                q.integer("capacity", 2_500, 1, 10_000_000),
                maxShards,
                minShards,
                q.integer("maxSamplesPerSend", 500, 1, 1_000_000),
                q.duration("batchSendDeadline", Duration.ofSeconds(5)),
                minBackoff,
                maxBackoff,
                q.bool("retryOnRateLimit", true));
        return new Endpoint(
                n.string("name", url.get().getPort() < 0 ? url.get().getHost()
                        : url.get().getHost() + ":" + url.get().getPort()),
                url.get(),
                n.duration("timeout", Duration.ofSeconds(30)),
                headers,
                username,
                usernameFile,
                passwordFile,
                bearer,
                tls.optionalString("caFile").filter(s -> !s.isBlank()).map(Path::of),
                tls.bool("insecureSkipVerify", false),
                RelabelConfigs.from(n, "writeRelabelConfigs"),
                queue);
    }
}

package io.vedetta.agent.config;

import io.vedetta.logs.route.AnnotationScope;
import io.vedetta.logs.route.IndexMode;
import io.vedetta.logs.route.IndexRoutes;
import io.vedetta.logs.settings.InvalidSettingException;
import io.vedetta.logs.sink.elasticsearch.ElasticsearchSinkConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where and how logs are delivered to Elasticsearch (section {@code elasticsearch}). Several URLs are used
 * round-robin with failover. Secrets come from files ({@code passwordFile}, {@code apiKeyFile}), never from
 * this file, so that the config can be shown and the secret rotated by a Secret mount.
 */
public final class ElasticsearchConfig {

    private ElasticsearchConfig() {
    }

    /**
     * The sink's settings from this section; dead letters the index refuses go to {@code deadletter.ndjson} in
     * {@code logs.stateDir}, and the parsed-JSON field is {@code logs.jsonField}.
     */
    static ElasticsearchSinkConfig from(ConfigNode n, LogsConfig logs) {
        List<URI> urls = n.urlList("urls", List.of("http://localhost:9200"),
                "set elasticsearch.username and elasticsearch.passwordFile, or elasticsearch.apiKeyFile");
        if (urls.isEmpty()) {
            throw new ConfigException(n.path("urls"), "the list is empty",
                    "give at least one URL, e.g. urls: [\"https://elasticsearch:9200\"]");
        }
        ConfigNode tls = n.section("tls");
        ConfigNode index = n.section("index");
        ConfigNode bulk = n.section("bulk");
        ConfigNode retry = n.section("retry");
        ConfigNode template = n.section("template");
        ConfigNode deadLetter = n.section("deadLetter");
        Optional<String> username = username(n);
        Optional<Path> passwordFile = n.optionalString("passwordFile").map(Path::of);
        if (username.isPresent() != passwordFile.isPresent()) {
            throw new ConfigException(n.path(username.isPresent() ? "passwordFile" : "username"),
                    "basic auth needs both a user name and a password file",
                    "set both elasticsearch.username and elasticsearch.passwordFile, or neither");
        }
        Optional<Path> apiKeyFile = n.optionalString("apiKeyFile").map(Path::of);
        if (username.isPresent() && apiKeyFile.isPresent()) {
            throw new ConfigException(n.path("apiKeyFile"), "both basic auth and an API key are set",
                    "keep either elasticsearch.username/passwordFile or elasticsearch.apiKeyFile");
        }
        Duration retryInitial = retry.duration("initial", Duration.ofMillis(100), Duration.ofHours(1));
        Duration retryMax = retry.duration("max", Duration.ofSeconds(30), Duration.ofHours(1));
        if (retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
            throw new ConfigException(retry.path("max"), "shorter than elasticsearch.retry.initial, or initial is 0",
                    "make elasticsearch.retry.initial positive and elasticsearch.retry.max at least as long");
        }
        long maxBytes = bulk.bytes("maxBytes", 5L << 20);
        if (maxBytes < 1024 || maxBytes > (100L << 20)) {
            throw new ConfigException(bulk.path("maxBytes"), maxBytes + " bytes is out of range",
                    "use between 1KiB and 100MiB (Elasticsearch refuses bodies over http.max_content_length, 100MiB)");
        }
        IndexRoutes routes;
        try {
            routes = new IndexRoutes(
                    index.choice("mode", IndexMode.DATA_STREAM, IndexMode.class),
                    index.string("dataStreamPrefix", IndexRoutes.DEFAULT_DATA_STREAM_PREFIX),
                    index.string("dailyPrefix", IndexRoutes.DEFAULT_DAILY_PREFIX),
                    index.bool("dailyByNamespace", false),
                    index.string("defaultRoute", "default"),
                    index.choice("annotation", AnnotationScope.NAMESPACED, AnnotationScope.class),
                    index.integer("maxRoutesPerNamespace", IndexRoutes.DEFAULT_MAX_ROUTES_PER_NAMESPACE, 0, 1000));
        } catch (InvalidSettingException e) {
            throw new ConfigException(n.path(e.setting()), e.problem(), "use lowercase letters, digits, '-', '_' and '.'");
        }
        boolean verify = tls.bool("verify", true);
        return new ElasticsearchSinkConfig(
                urls,
                username,
                passwordFile,
                apiKeyFile,
                tls.optionalString("caFile").map(Path::of),
                verify,
                routes,
                logs.pipeline().enrich().jsonField(),
                logs.pipeline().enrich().fields().messageField(),
                maxBytes,
                bulk.integer("maxRecords", 2000, 1, 100_000),
                n.integer("maxInFlight", 4, 1, 64),
                n.bool("gzip", false),
                retryInitial,
                retryMax,
                n.duration("connectTimeout", Duration.ofSeconds(5), Duration.ofHours(1)),
                n.duration("requestTimeout", Duration.ofSeconds(30), Duration.ofHours(1)),
                template.bool("install", true),
                template.string("name", "vedetta-logs"),
                deadLetter.string("prefix", "vedetta-deadletter"),
                logs.pipeline().tail().stateDir().resolve("deadletter.ndjson"),
                deadLetter.bytes("fileMaxBytes", ElasticsearchSinkConfig.DEFAULT_DEAD_LETTER_FILE_MAX_BYTES));
    }

    /**
     * The events' targets must be valid index names and must not share a prefix with the container logs', or one
     * index template would take the other's data streams.
     */
    static void checkEventsTargets(String section, ClusterConfig.Events events, ElasticsearchSinkConfig sink) {
        checkEventsPrefix(section + ".dataStreamPrefix", events.dataStreamPrefix(),
                "elasticsearch.index.dataStreamPrefix", sink.routes().dataStreamPrefix());
        checkEventsPrefix(section + ".dailyPrefix", events.dailyPrefix(),
                "elasticsearch.index.dailyPrefix", sink.routes().dailyPrefix());
    }

    private static void checkEventsPrefix(String setting, String prefix, String logsSetting, String logsPrefix) {
        try {
            new IndexRoutes.Stream(prefix, prefix, "{}");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setting, "\"" + prefix + "\" is not a lowercase index name prefix",
                    "use lowercase letters, digits, '-', '_' and '.'");
        }
        if (prefix.startsWith(logsPrefix) || logsPrefix.startsWith(prefix)) {
            throw new ConfigException(setting, "\"" + prefix + "\" overlaps " + logsSetting + " \"" + logsPrefix + "\"",
                    "give events and container logs prefixes where neither begins with the other");
        }
    }

    /**
     * {@code username}, or the first line of {@code usernameFile} (a Secret key mounted as a file, as the Helm
     * chart does); the user name is no secret, so it is read once here.
     */
    private static Optional<String> username(ConfigNode n) {
        Optional<String> inline = n.optionalString("username");
        Optional<String> file = n.optionalString("usernameFile");
        if (inline.isPresent() && file.isPresent()) {
            throw new ConfigException(n.path("usernameFile"), "both username and usernameFile are set",
                    "keep one of elasticsearch.username and elasticsearch.usernameFile");
        }
        if (file.isEmpty()) {
            return inline;
        }
        try {
            String name = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
            if (name.isEmpty()) {
                throw new ConfigException(n.path("usernameFile"), file.get() + " is empty", "put the user name in it");
            }
            return Optional.of(name);
        } catch (IOException e) {
            throw new ConfigException(n.path("usernameFile"), "cannot read " + file.get() + " ("
                    + e.getClass().getSimpleName() + ")", "mount the file or fix the path");
        }
    }
}

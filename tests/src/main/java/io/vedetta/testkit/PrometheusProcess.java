package io.vedetta.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A real Prometheus (Debian package) on loopback, with a config written for the run; plain HTTP, or HTTPS with basic
 * auth when started with a {@link Web} config.
 */
public final class PrometheusProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagedProcess process;
    private final int port;
    private final Path dir;
    private final String configYaml;
    private final List<String> extraArgs;
    private final Web web;
    private final HttpClient webClient;

    /**
     * A {@code --web.config.file} (Prometheus' exporter-toolkit web config: {@code tls_server_config},
     * {@code basic_auth_users}; read again on every request, so a test may rewrite it), and how the test itself gets in:
     * {@code trust} verifies the server's certificate, {@code authorization} is the header its requests carry.
     */
    public record Web(Path configFile, SSLContext trust, String authorization) {
    }

    private PrometheusProcess(ManagedProcess process, int port, Path dir, String configYaml, List<String> extraArgs,
            Web web) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.configYaml = configYaml;
        this.extraArgs = extraArgs;
        this.web = web;
        this.webClient = web == null ? null
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(web.trust()).build();
    }

    /**
     * Starts Prometheus with {@code configYaml} (its scrape and rule settings) in {@code dir};
     * fails with the reason when the binary is missing or the server does not become ready.
     */
    public static PrometheusProcess start(Path dir, String configYaml, List<String> extraArgs) {
        return start(dir, configYaml, extraArgs, Ports.free());
    }

    /** As {@link #start(Path, String, List)}, on {@code port}. */
    public static PrometheusProcess start(Path dir, String configYaml, List<String> extraArgs, int port) {
        return start(dir, configYaml, extraArgs, port, null);
    }

    /** As {@link #start(Path, String, List)}, serving HTTPS with the basic auth of {@code web}. */
    public static PrometheusProcess start(Path dir, String configYaml, List<String> extraArgs, Web web) {
        return start(dir, configYaml, extraArgs, Ports.free(), web);
    }

    private static PrometheusProcess start(Path dir, String configYaml, List<String> extraArgs, int port, Web web) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install the Debian package `prometheus`"
                    + " (scripts/test and scripts/demo do this)");
        }
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("prometheus.yml"), configYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle"));
        if (web != null) {
            command.add("--web.config.file=" + web.configFile());
        }
        command.addAll(extraArgs);
        ManagedProcess process = new ManagedProcess("prometheus", command, Map.of(), dir.resolve("prometheus.log"));
        PrometheusProcess prometheus = new PrometheusProcess(process, port, dir, configYaml, List.copyOf(extraArgs),
                web);
        if (!Http.await(Duration.ofSeconds(30), () -> prometheus.get("/-/ready").status() == 200)) {
            process.close();
            throw process.failure("did not become ready on port " + port);
        }
        return prometheus;
    }

    public String url() {
        return (web == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    /** A GET of {@code path} (e.g. {@code /metrics}), with the test's credentials when the server asks for them. */
    public Http.Response get(String path) {
        return web == null ? Http.get(url() + path) : Http.get(webClient, url() + path, web.authorization());
    }

    /** The {@code data.result} array of an instant query. */
    public JsonNode query(String promql) {
        Http.Response response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (response.status() != 200) {
            throw new IllegalStateException("query " + promql + " failed: " + response.status() + " " + response.body());
        }
        try {
            return JSON.readTree(response.body()).path("data").path("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of the first sample of an instant query, or NaN when it returned nothing. */
    public double value(String promql) {
        JsonNode result = query(promql);
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    public JsonNode targets() {
        try {
            return JSON.readTree(get("/api/v1/targets").body()).path("data").path("activeTargets");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts this Prometheus again, on its port and its data, once it was stopped. */
    public PrometheusProcess restart() {
        return start(dir, configYaml, extraArgs, port, web);
    }

    /** The raw samples of {@code selector} in the last {@code window} (e.g. {@code 10m}): the result of {@code selector[window]}. */
    public JsonNode rawSamples(String selector, String window) {
        return query(selector + "[" + window + "]");
    }

    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}

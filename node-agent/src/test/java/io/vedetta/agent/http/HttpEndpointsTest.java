package io.vedetta.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics.MetricFamily;
import io.vedetta.agent.config.HttpConfig;
import io.vedetta.agent.deflate.Gunzip;
import io.vedetta.agent.metrics.Registries;
import io.vedetta.agent.metrics.SelfMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<List<String>> notReady = new AtomicReference<>(List.of("pod-discovery: not synced"));
    private Registries registries;
    private SelfMetrics selfMetrics;
    private HttpEndpoints http;

    @BeforeEach
    void start() throws IOException {
        registries = new Registries();
        selfMetrics = new SelfMetrics(registries.micrometer(), "1.2.3-test", true);
        http = new HttpEndpoints(new HttpConfig("127.0.0.1", 0), registries.prometheus(), registries.micrometer(),
                notReady::get);
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(Duration.ofSeconds(1));
        selfMetrics.close();
    }

    private HttpResponse<byte[]> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void readyzIs503WithTheReasonUntilEveryPartIsReady() throws Exception {
        HttpResponse<byte[]> before = get("/readyz", null);
        assertEquals(503, before.statusCode());
        assertTrue(new String(before.body()).contains("pod-discovery: not synced"));

        notReady.set(List.of());
        assertEquals(200, get("/readyz", null).statusCode());
        assertEquals(200, get("/healthz", null).statusCode());
    }

    @Test
    void metricsParseWithThePrometheusClientsOwnProtobufModel() throws Exception {
        HttpResponse<byte[]> response = get("/metrics",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
        assertEquals(200, response.statusCode());

        Map<String, MetricFamily> families = new HashMap<>();
        try (InputStream in = new ByteArrayInputStream(response.body())) {
            MetricFamily family;
            while ((family = MetricFamily.parseDelimitedFrom(in)) != null) {
                families.put(family.getName(), family);
            }
        }
        MetricFamily buildInfo = families.get("vedetta_build_info");
        assertEquals("version", buildInfo.getMetric(0).getLabel(1).getName());
        assertEquals("1.2.3-test", buildInfo.getMetric(0).getLabel(1).getValue());
        for (String name : List.of("jvm_memory_used_bytes", "process_cpu_usage", "process_cpu_seconds_total", "system_cpus", "process_resident_memory_bytes",
                "process_uptime_seconds", "jvm_threads_live_threads", "process_files_open_files")) {
            assertTrue(families.containsKey(name), name + " missing from " + families.keySet());
        }
        assertTrue(families.get("process_resident_memory_bytes").getMetric(0).getGauge().getValue() > 1 << 20);
    }

    @Test
    void metricsNegotiateOpenMetrics() throws Exception {
        HttpResponse<byte[]> response = get("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");

        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        String body = new String(response.body());
        assertTrue(body.endsWith("# EOF\n"), "OpenMetrics must end with # EOF");
        assertTrue(body.contains("vedetta_build_info"));
    }

    @Test
    void metricsDefaultToPrometheusText() throws Exception {
        HttpResponse<byte[]> response = get("/metrics", null);

        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(new String(response.body()).contains("# TYPE vedetta_build_info gauge"));
    }

    @Test
    void labelValuesWithQuotesBackslashesNewlinesAndNonAsciiAreEscapedInEveryFormat() throws Exception {
        String value = "say \"hi\" C:\\temp\nnext line, Zürich ☃";
        registries.prometheus().register(() -> io.prometheus.metrics.model.snapshots.GaugeSnapshot.builder()
                .name("escape_test").help("escaping")
                .dataPoint(io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(io.prometheus.metrics.model.snapshots.Labels.of("value", value)).value(1).build())
                .build());

        String text = new String(get("/metrics", null).body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("escape_test{value=\"say \\\"hi\\\" C:\\\\temp\\nnext line, Zürich ☃\"} 1.0"), text);
        String openMetrics = new String(get("/metrics", "application/openmetrics-text; version=1.0.0").body(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(openMetrics.contains("escape_test{value=\"say \\\"hi\\\" C:\\\\temp\\nnext line, Zürich ☃\"} 1.0"),
                openMetrics);
        byte[] protobuf = get("/metrics",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited").body();
        try (InputStream in = new ByteArrayInputStream(protobuf)) {
            MetricFamily family;
            while ((family = MetricFamily.parseDelimitedFrom(in)) != null) {
                if (family.getName().equals("escape_test")) {
                    assertEquals(value, family.getMetric(0).getLabel(0).getValue(), "protobuf carries the raw value");
                    return;
                }
            }
        }
        throw new AssertionError("escape_test missing from the protobuf exposition");
    }

    @Test
    void metricsAreGzippedWhenAskedAndReadTheSameAsUncompressed() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + http.port() + "/metrics?name%5B%5D=vedetta_build_info");
        HttpResponse<byte[]> plain = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> gzipped = client.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, gzipped.statusCode());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(""));
        assertTrue(gzipped.headers().firstValue("Content-Length").isEmpty());
        String unzipped = new String(Gunzip.byJdk(gzipped.body()), StandardCharsets.UTF_8);
        assertEquals(unzipped, new String(Gunzip.byGzipBinary(gzipped.body()), StandardCharsets.UTF_8), "gzip -dc");
        assertEquals(new String(plain.body(), StandardCharsets.UTF_8), unzipped);
        assertTrue(unzipped.contains("vedetta_build_info{"), unzipped);
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertEquals(404, get("/nope", null).statusCode());
    }
}

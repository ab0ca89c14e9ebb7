package io.vedetta.kubeprometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vedetta.agent.config.KubeletConfig;
import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.agent.metrics.MetricSource;
import io.vedetta.agent.metrics.MetricsErrors;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.agent.metrics.kubelet.KubeletClient;
import io.vedetta.agent.metrics.kubelet.KubeletSources;
import io.vedetta.pods.PodMetadata;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.PrometheusProcess;
import io.vedetta.testkit.SimulatedKubelet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code metrics.filter.dropContainerSeriesWithoutPod} keeps exactly what kube-prometheus keeps, for every recorded
 * kubelet: a real Prometheus scrapes each recorded response with the metric relabelings of kube-prometheus'
 * kubelet ServiceMonitor (converted from the manifest, not written again here), and the agent's kubelet source,
 * fed the same response, must serve the same series with the same values.
 *
 * <p>The one thing added on Prometheus' side is the agent's documented renaming of the labels of kubelets before
 * 1.16 ({@code container_name}, {@code pod_name} to {@code container}, {@code pod}), which kube-prometheus' rules
 * (written for {@code pod}) expect; without it kube-prometheus would drop every {@code container_spec_*} series of
 * such a kubelet, pods or not.
 */
class KubeletFilterKeepsWhatKubePrometheusKeepsTest {

    /** Series Prometheus makes for every target. */
    private static final Set<String> SYNTHETIC = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added");

    private static SimulatedKubelet kubelet;
    private static PrometheusProcess prometheus;

    @BeforeAll
    static void scrapeTheRecordedKubeletAsKubePrometheusDoes(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        kubelet = new SimulatedKubelet();
        ObjectNode config = KubePrometheus.YAML.createObjectNode();
        config.putObject("global").put("scrape_interval", "1s");
        ArrayNode jobs = config.putArray("scrape_configs");
        for (String path : List.of("/metrics/cadvisor", "/metrics")) {
            jobs.add(scrapeConfig(path));
        }
        prometheus = PrometheusProcess.start(dir.resolve("prometheus"),
                KubePrometheus.YAML.writeValueAsString(config), List.of());
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (kubelet != null) {
            kubelet.close();
        }
    }

    private static String job(String path) {
        return "kubelet" + path.replace('/', '-');
    }

    /** The ServiceMonitor's endpoint for {@code path} as a Prometheus scrape config of the simulated kubelet. */
    private static ObjectNode scrapeConfig(String path) {
        JsonNode endpoint = KubePrometheus.kubeletEndpoint(path);
        ObjectNode job = KubePrometheus.YAML.createObjectNode();
        job.put("job_name", job(path));
        job.put("metrics_path", path);
        job.put("honor_labels", endpoint.path("honorLabels").asBoolean(false));
        job.put("honor_timestamps", endpoint.path("honorTimestamps").asBoolean(true));
        job.putArray("static_configs").addObject().putArray("targets")
                .add(URI.create(kubelet.url()).getAuthority());
        ArrayNode relabel = job.putArray("relabel_configs");
        endpoint.path("relabelings").forEach(r -> relabel.add(relabelConfig(r)));
        ArrayNode metricRelabel = job.putArray("metric_relabel_configs");
        for (String old : List.of("container", "pod")) {
            ObjectNode rename = metricRelabel.addObject();
            rename.putArray("source_labels").add(old + "_name");
            rename.put("regex", "(.+)").put("target_label", old).put("action", "replace");
        }
        metricRelabel.addObject().put("action", "labeldrop").put("regex", "container_name|pod_name");
        endpoint.path("metricRelabelings").forEach(r -> metricRelabel.add(relabelConfig(r)));
        return job;
    }

    /** A Prometheus Operator RelabelConfig in Prometheus' own spelling. */
    private static ObjectNode relabelConfig(JsonNode operator) {
        ObjectNode out = KubePrometheus.YAML.createObjectNode();
        Map<String, String> keys = Map.of("sourceLabels", "source_labels", "targetLabel", "target_label",
                "action", "action", "regex", "regex", "separator", "separator", "replacement", "replacement",
                "modulus", "modulus");
        Iterator<Map.Entry<String, JsonNode>> fields = operator.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = keys.get(field.getKey());
            if (key == null) {
                throw new IllegalStateException("relabel field " + field.getKey() + " is not converted");
            }
            out.set(key, field.getValue());
        }
        return out;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "/metrics/cadvisor, cadvisor, a GKE kubelet before 1.16 with docker (datadog cadvisor_metrics.txt)",
            "/metrics, kubelet, kubelet v1.21.2 on EKS (datadog kubelet_metrics_1_21.txt)"})
    void servesTheSeriesKubePrometheusKeeps(String path, String source, String capture) throws Exception {
        Map<String, Double> kubePrometheus = scrapedByPrometheus(job(path));
        Map<String, Double> vedetta = servedByTheAgent(path, source);

        Set<String> missing = new TreeSet<>(kubePrometheus.keySet());
        missing.removeAll(vedetta.keySet());
        Set<String> extra = new TreeSet<>(vedetta.keySet());
        extra.removeAll(kubePrometheus.keySet());
        assertTrue(kubePrometheus.size() > 500, "too few series scraped to be a real comparison: " + kubePrometheus.size());
        assertEquals(List.of(), List.copyOf(missing).subList(0, Math.min(20, missing.size())),
                missing.size() + " series kube-prometheus keeps are not served by the agent (" + capture + ")");
        assertEquals(List.of(), List.copyOf(extra).subList(0, Math.min(20, extra.size())),
                extra.size() + " series served by the agent are dropped by kube-prometheus (" + capture + ")");
        kubePrometheus.forEach((series, value) -> assertEquals(value, vedetta.get(series), 1e-9 * Math.abs(value),
                () -> series + " has another value"));
    }

    /** The series of {@code job} in Prometheus, once it has scraped it, without job and instance labels. */
    private static Map<String, Double> scrapedByPrometheus(String job) {
        assertTrue(Http.await(Duration.ofSeconds(60), () ->
                !prometheus.query("scrape_samples_post_metric_relabeling{job=\"" + job + "\"}").isEmpty()),
                "Prometheus never scraped " + job + ": " + prometheus.targets());
        Map<String, Double> series = new TreeMap<>();
        for (JsonNode result : prometheus.query("{job=\"" + job + "\"}")) {
            Map<String, String> labels = new TreeMap<>();
            result.path("metric").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            String name = labels.remove("__name__");
            labels.remove("job");
            labels.remove("instance");
            if (!SYNTHETIC.contains(name)) {
                ExposedSeries s = ExposedSeries.of(name, labels,
                        ExposedSeries.parse(result.path("value").get(1).asText()));
                series.put(s.key(), s.value());
            }
        }
        return series;
    }

    /** What the agent's kubelet source serves for the same recorded response, with the default filters. */
    private static Map<String, Double> servedByTheAgent(String path, String sourceName) throws Exception {
        Map<String, byte[]> bodies = SimulatedKubelet.recordedResponses();
        KubeletClient recorded = new KubeletClient() {
            @Override
            public <T> T get(String requested, BodyReader<T> reader) throws io.vedetta.agent.metrics.SourceException {
                try {
                    return reader.read(new ByteArrayInputStream(bodies.get(requested)));
                } catch (java.io.IOException e) {
                    throw new io.vedetta.agent.metrics.SourceException(
                            io.vedetta.agent.metrics.ErrorReason.READ, e.getMessage(), e);
                }
            }
        };
        KubeletConfig config = new KubeletConfig(true, URI.create(kubelet.url()), KubeletConfig.Via.DIRECT,
                Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofMinutes(1), false, true, false, false, true, true);
        MetricSource source = KubeletSources.create(config, recorded, new MetricsErrors(new SimpleMeterRegistry()))
                .stream().filter(s -> s.name().equals(sourceName)).findFirst().orElseThrow();
        SeriesFilter filter = new SeriesFilter(MetricFilterConfig.defaults(), PodMetadata.NONE);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(text, source.collect(filter.forSource()).snapshots());
        Map<String, Double> series = new TreeMap<>();
        for (ExposedSeries s : ExposedSeries.parseExposition(text.toString(StandardCharsets.UTF_8))) {
            series.put(s.key(), s.value());
        }
        return series;
    }
}

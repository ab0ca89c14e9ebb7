package io.vedetta.kubeprometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vedetta.testkit.AlertingSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-prometheus' manifests as the reference of what its users have (copied with their licence and provenance
 * into {@code tests/src/test/resources/kube-prometheus/}): the kubelet ServiceMonitor, and the rendered rules of
 * kubernetes-mixin, node-mixin and kube-state-metrics.
 */
public final class KubePrometheus {

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    public static final List<String> RULE_FILES = List.of("kubernetesControlPlane-prometheusRule.yaml",
            "nodeExporter-prometheusRule.yaml", "kubeStateMetrics-prometheusRule.yaml");

    private KubePrometheus() {
    }

    static Path dir() {
        return AlertingSetup.repo().resolve("tests/src/test/resources/kube-prometheus");
    }

    public static JsonNode read(String file) {
        try {
            return YAML.readTree(dir().resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kube-prometheus fixture " + file, e);
        }
    }

    /** The kubelet ServiceMonitor's endpoints. */
    static JsonNode kubeletEndpoints() {
        return read("kubernetesControlPlane-serviceMonitorKubelet.yaml").path("spec").path("endpoints");
    }

    /** The ServiceMonitor endpoint scraping {@code path}. */
    static JsonNode kubeletEndpoint(String path) {
        for (JsonNode endpoint : kubeletEndpoints()) {
            if (endpoint.path("path").asText("/metrics").equals(path)) {
                return endpoint;
            }
        }
        throw new IllegalArgumentException("the kubelet ServiceMonitor has no endpoint for " + path);
    }

    /** Every rule of the rendered rule files, each with the file and group it is in. */
    public static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (String file : RULE_FILES) {
            for (JsonNode group : read(file).path("spec").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    rules.add(new Rule(file, group.path("name").asText(), rule));
                }
            }
        }
        return rules;
    }

    public record Rule(String file, String group, JsonNode rule) {
        public String name() {
            return rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
        }

        public boolean isAlert() {
            return rule.has("alert");
        }

        public String expr() {
            return rule.path("expr").asText();
        }
    }
}

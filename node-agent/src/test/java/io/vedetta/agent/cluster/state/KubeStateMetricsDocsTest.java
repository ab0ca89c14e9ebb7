package io.vedetta.agent.cluster.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vedetta.agent.MetricCatalogue;
import io.vedetta.agent.metrics.MetricName;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every kube_* family the agent builds against kube-state-metrics v2's own documentation (a reviewed extract with
 * its provenance, kube-state-metrics-v2-docs.yaml): the same names, types and label names, both ways, so a family
 * that drifts from KSM or a documented family dropped from the agent fails here.
 */
class KubeStateMetricsDocsTest {

    @Test
    void everyKubeFamilyHasKubeStateMetricsNameTypeAndLabels() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        try (InputStream in = getClass().getResourceAsStream("kube-state-metrics-v2-docs.yaml")) {
            JsonNode extract = new ObjectMapper(new YAMLFactory()).readTree(in);
            for (JsonNode metric : extract.path("metrics")) {
                Set<String> labels = new TreeSet<>();
                metric.path("labels").forEach(l -> labels.add(l.asText()));
                documented.put(metric.path("name").asText(), metric.path("type").asText() + " " + labels);
            }
        }
        Map<String, String> built = MetricCatalogue.all().stream().filter(m -> m.name().startsWith("kube_"))
                .collect(Collectors.toMap(MetricName::name, m -> type(m) + " " + new TreeSet<>(m.labels()),
                        (a, b) -> a, TreeMap::new));

        assertEquals(documented, built);
    }

    /** KSM writes its info families as gauges; so does the text format for an info series. */
    private static String type(MetricName metric) {
        return switch (metric.type()) {
            case COUNTER -> "counter";
            case GAUGE, INFO -> "gauge";
            default -> metric.type().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}

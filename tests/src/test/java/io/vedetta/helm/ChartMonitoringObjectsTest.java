package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus Operator and Grafana objects: the ServiceMonitor scrapes the agents' Service, the
 * PrometheusRule carries exactly the rule files of alert-rules/, and the dashboard ConfigMaps exactly the
 * dashboards of dashboards/. A copy of the chart with the sample files of the test resources proves the
 * rendering while those directories are still empty.
 */
class ChartMonitoringObjectsTest {

    private static final Path RESOURCES = Path.of("src/test/resources/helm").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void defaultsRenderNoOperatorOrGrafanaObjects() {
        Rendered rendered = Chart.render(Chart.scenario("defaults"));

        assertEquals(List.of(), rendered.custom("ServiceMonitor"));
        assertEquals(List.of(), rendered.custom("PrometheusRule"));
        assertEquals(Map.of(), dashboardsIn(rendered));
    }

    @Test
    void serviceMonitorScrapesEveryAgentThroughTheService() {
        Rendered rendered = Chart.render(Chart.scenario("prometheus-operator"));
        GenericKubernetesResource monitor = single(rendered.custom("ServiceMonitor"));
        JsonNode spec = spec(monitor);
        JsonNode endpoint = single(spec.path("endpoints"));

        assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
        assertEquals("vedetta", rendered.one(Service.class).getMetadata().getLabels().get(spec.path("jobLabel").textValue()),
                "the alert rules select job=\"vedetta\"");
        assertEquals("kps", monitor.getMetadata().getLabels().get("release"));
        assertEquals(Rendered.YAML.valueToTree(rendered.daemonSet().getSpec().getSelector().getMatchLabels()),
                spec.path("selector").path("matchLabels"));
        assertEquals(Chart.NAMESPACE, spec.at("/namespaceSelector/matchNames/0").textValue());
        assertEquals("http-metrics", endpoint.path("port").textValue());
        assertEquals("/metrics", endpoint.path("path").textValue());
        assertEquals("30s", endpoint.path("interval").textValue());
        assertTrue(endpoint.path("honorLabels").booleanValue());
        assertEquals("node", endpoint.at("/relabelings/0/targetLabel").textValue());
        assertEquals("__meta_kubernetes_pod_node_name", endpoint.at("/relabelings/0/sourceLabels/0").textValue());
        assertEquals("labeldrop", endpoint.at("/relabelings/3/action").textValue());
        assertEquals("namespace|pod|container|service|endpoint", endpoint.at("/relabelings/3/regex").textValue(),
                "series without a pod or container of their own never take the agent's");
        assertEquals("drop", endpoint.at("/metricRelabelings/3/action").textValue(), "the user's come after the chart's");
    }

    /** The end-to-end tests' Prometheus scrapes the agent with the chart's own metric relabelings. */
    @Test
    void endToEndScrapeConfigRelabelsAsTheServiceMonitorDoes() throws IOException {
        JsonNode endpoint = single(spec(single(Chart.render(Chart.scenario("prometheus-operator"))
                .custom("ServiceMonitor"))).path("endpoints"));
        List<JsonNode> chart = new ArrayList<>();
        endpoint.path("metricRelabelings").forEach(r -> {
            com.fasterxml.jackson.databind.node.ObjectNode converted = Rendered.YAML.createObjectNode();
            r.fields().forEachRemaining(f -> converted.set(switch (f.getKey()) {
                case "sourceLabels" -> "source_labels";
                case "targetLabel" -> "target_label";
                default -> f.getKey();
            }, f.getValue()));
            chart.add(converted);
        });
        List<JsonNode> e2e = new ArrayList<>();
        Rendered.YAML.readTree(io.vedetta.testkit.AlertingSetup.SERVICE_MONITOR_METRIC_RELABELINGS).forEach(e2e::add);

        assertEquals(e2e, chart.subList(0, e2e.size()));
    }

    @Test
    void prometheusRuleCarriesExactlyTheRuleFilesOfAlertRules() {
        Rendered rendered = Chart.render(Chart.scenario("prometheus-operator"));

        assertRuleGroups(SourceFiles.ruleFiles(), rendered);
    }

    @Test
    void dashboardConfigMapsCarryExactlyTheDashboardsOfDashboards() {
        Rendered rendered = Chart.render(Chart.scenario("prometheus-operator"));

        assertEquals(SourceFiles.dashboards(), dashboardsIn(rendered));
    }

    @Test
    void ruleAndDashboardFilesInTheChartBecomeOperatorAndGrafanaObjects() throws IOException {
        Path chart = copyOfChart();
        Files.copy(RESOURCES.resolve("sample-rules.yaml"), chart.resolve("files/rules/sample-rules.yaml"));
        Files.copy(RESOURCES.resolve("sample-dashboard.json"), chart.resolve("files/dashboards/sample_dashboard.json"));

        Rendered rendered = Chart.render(chart, Chart.scenario("prometheus-operator"), Map.of());

        assertRuleGroups(SourceFiles.chartFiles(chart.resolve("files/rules")), rendered);
        GenericKubernetesResource rule = single(rendered.custom("PrometheusRule"));
        assertEquals("monitoring.coreos.com/v1", rule.getApiVersion());
        assertEquals("kps", rule.getMetadata().getLabels().get("release"));
        JsonNode sample = null;
        for (JsonNode group : spec(rule).path("groups")) {
            if (group.path("name").textValue().equals("vedetta-sample")) {
                sample = group;
            }
        }
        assertEquals("Vedetta agent {{ $labels.pod }} is down",
                sample.at("/rules/0/annotations/summary").textValue(),
                "Prometheus templates in rules must reach the operator untouched");
        assertEquals(SourceFiles.chartFiles(chart.resolve("files/dashboards")), dashboardsIn(rendered));
        ConfigMap dashboard = rendered.all(ConfigMap.class).stream()
                .filter(c -> c.getData().containsKey("sample_dashboard.json")).findFirst().orElseThrow();
        assertEquals("vedetta-dashboard-sample-dashboard", dashboard.getMetadata().getName());
        assertEquals("Vedetta", dashboard.getMetadata().getAnnotations().get("grafana_folder"));
    }

    @Test
    void ruleFilesAreConcatenatedInNameOrder() throws IOException {
        Path chart = copyOfChart();
        String sample = Files.readString(RESOURCES.resolve("sample-rules.yaml"));
        Files.writeString(chart.resolve("files/rules/b.yaml"), sample.replace("vedetta-sample", "second"));
        Files.writeString(chart.resolve("files/rules/a.yaml"), sample.replace("vedetta-sample", "first"));

        Rendered rendered = Chart.render(chart, Chart.scenario("prometheus-operator"), Map.of());

        List<String> names = new ArrayList<>();
        spec(single(rendered.custom("PrometheusRule"))).path("groups").forEach(g -> names.add(g.path("name").textValue()));
        assertEquals(List.of("first", "second"), names.stream().filter(n -> n.equals("first") || n.equals("second")).toList());
    }

    /** Zero files render no PrometheusRule; otherwise one whose groups are the files' groups in name order. */
    private static void assertRuleGroups(Map<String, String> ruleFiles, Rendered rendered) {
        ArrayNode expected = Rendered.YAML.createArrayNode();
        new TreeMap<>(ruleFiles).values().forEach(text -> expected.addAll((ArrayNode) SourceFiles.yaml(text).path("groups")));
        List<GenericKubernetesResource> rules = rendered.custom("PrometheusRule");
        if (expected.isEmpty()) {
            assertEquals(List.of(), rules);
            return;
        }
        assertEquals(expected, spec(single(rules)).path("groups"));
    }

    /** Dashboard ConfigMaps' data (file name to JSON text), checking each carries the sidecar's label. */
    private static Map<String, String> dashboardsIn(Rendered rendered) {
        Map<String, String> dashboards = new TreeMap<>();
        for (ConfigMap map : rendered.all(ConfigMap.class)) {
            if (map.getData().containsKey("vedetta.yaml")) {
                continue;
            }
            assertEquals("1", map.getMetadata().getLabels().get("grafana_dashboard"), map.getMetadata().getName());
            assertEquals(1, map.getData().size(), "one dashboard per ConfigMap");
            dashboards.putAll(map.getData());
        }
        return dashboards;
    }

    private Path copyOfChart() throws IOException {
        Path copy = tmp.resolve("vedetta");
        try (Stream<Path> files = Files.walk(Chart.DIR)) {
            for (Path source : files.toList()) {
                Files.copy(source, copy.resolve(Chart.DIR.relativize(source).toString()));
            }
        }
        return copy;
    }

    private static JsonNode spec(GenericKubernetesResource resource) {
        return Rendered.YAML.valueToTree(resource.getAdditionalProperties().get("spec"));
    }

    private static <T> T single(List<T> items) {
        assertEquals(1, items.size(), () -> "expected exactly one but got " + items);
        return items.get(0);
    }

    private static JsonNode single(JsonNode array) {
        assertEquals(1, array.size(), () -> "expected exactly one but got " + array);
        return array.get(0);
    }
}

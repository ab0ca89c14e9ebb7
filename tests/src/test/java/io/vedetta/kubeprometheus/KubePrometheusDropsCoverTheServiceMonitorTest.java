package io.vedetta.kubeprometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vedetta.agent.metrics.KubePrometheusDrops;
import io.vedetta.agent.metrics.KubePrometheusDrops.SeriesRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every drop rule of kube-prometheus' kubelet ServiceMonitor, name by name, is one the agent applies, and no
 * more: the recorded kubelets exercise only a few of its names, so each name its regular expressions list is
 * checked here.
 */
class KubePrometheusDropsCoverTheServiceMonitorTest {

    private static final Pattern ALTERNATIVES = Pattern.compile("([^()|]*)\\((.*)\\)");
    /** Endpoints the agent does not scrape, so their rules are not the agent's to apply. */
    private static final Set<String> NOT_SCRAPED = Set.of("/metrics/probes", "/metrics/slis");

    @Test
    void everyNameTheServiceMonitorDropsIsDroppedAndOnlyUnderItsCondition() {
        int names = 0;
        for (JsonNode endpoint : KubePrometheus.kubeletEndpoints()) {
            String path = endpoint.path("path").asText("/metrics");
            if (NOT_SCRAPED.contains(path)) {
                continue;
            }
            for (JsonNode rule : endpoint.path("metricRelabelings")) {
                assertEquals("drop", rule.path("action").asText(), "only drop rules are expected: " + rule);
                List<String> sources = new ArrayList<>();
                rule.path("sourceLabels").forEach(l -> sources.add(l.asText()));
                String regex = rule.path("regex").asText();
                for (String name : names(regex)) {
                    names++;
                    String what = name + " (" + path + ", " + sources + ")";
                    switch (String.join(",", sources)) {
                        case "__name__" -> {
                            assertTrue(KubePrometheusDrops.dropsSamples(name), what + " is dropped");
                            assertFalse(KubePrometheusDrops.dropsSamples(name + "_bucket"), what + " anchored");
                        }
                        case "__name__,pod,namespace" -> {
                            assertEquals(";;", regex.substring(regex.lastIndexOf(')') + 1), regex);
                            assertEquals(SeriesRule.DROP_WITHOUT_POD_AND_NAMESPACE, KubePrometheusDrops.seriesRule(name),
                                    what);
                            assertFalse(KubePrometheusDrops.dropsSamples(name), what + " is kept with a pod");
                        }
                        case "__name__,container" -> {
                            assertEquals(";.+", regex.substring(regex.lastIndexOf(')') + 1), regex);
                            assertEquals(SeriesRule.DROP_WITH_CONTAINER, KubePrometheusDrops.seriesRule(name), what);
                            assertFalse(KubePrometheusDrops.dropsSamples(name), what + " is kept without a container");
                        }
                        default -> throw new AssertionError("a rule on labels the agent does not apply: " + rule);
                    }
                }
            }
        }
        assertTrue(names > 100, "too few names found in the ServiceMonitor to be right: " + names);
        for (String kept : List.of("container_cpu_usage_seconds_total", "container_scrape_error",
                "container_memory_working_set_bytes", "kubelet_running_pods", "rest_client_requests_total",
                "storage_operation_duration_seconds_bucket")) {
            assertFalse(KubePrometheusDrops.dropsSamples(kept), kept);
            assertEquals(SeriesRule.KEEP, KubePrometheusDrops.seriesRule(kept), kept);
        }
    }

    /** The names a rule's regular expression lists: {@code p_(a|b)} is p_a and p_b; {@code .*} stands for a name. */
    private static List<String> names(String regex) {
        String group = regex.contains(";") ? regex.substring(0, regex.lastIndexOf(')') + 1) : regex;
        Matcher m = ALTERNATIVES.matcher(group);
        List<String> names = new ArrayList<>();
        if (!m.matches()) {
            names.add(group);
            return names;
        }
        for (String alternative : m.group(2).split("\\|")) {
            names.add((m.group(1) + alternative).replace(".*", "cpu_shares"));
        }
        return names;
    }
}

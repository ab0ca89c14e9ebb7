package io.vedetta.kubeprometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vedetta.testkit.AlertingSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An alert that Vedetta ships under a name kubernetes-mixin or node-mixin also uses means the same thing: each
 * rule of that name has the mixin's thresholds (the numbers and windows of its expression), its {@code for} and its
 * severity, and the rules of that name read the same series (so node-mixin's read-only filter is there too). A
 * kube-prometheus user who also loads Vedetta's rules is then never paged twice for different things under one
 * name. The mixins' rules are kube-prometheus' rendering in the test resources.
 */
class SharedAlertNamesMeanWhatTheMixinsMeanTest {

    /** The names shared today; a new one must be added here on purpose, and an old one cannot silently go. */
    private static final Set<String> SHARED = Set.of("NodeFilesystemSpaceFillingUp", "NodeFilesystemAlmostOutOfSpace",
            "NodeMemoryHighUtilization", "NodeCPUHighUsage", "KubePodCrashLooping", "KubeContainerWaiting",
            "CPUThrottlingHigh",
            // The cluster collector's workload and node alerts (alert-rules/rules/cluster.yaml).
            "KubeDeploymentGenerationMismatch", "KubeDeploymentReplicasMismatch", "KubeDeploymentRolloutStuck",
            "KubeStatefulSetReplicasMismatch", "KubeStatefulSetGenerationMismatch", "KubeStatefulSetUpdateNotRolledOut",
            "KubeDaemonSetRolloutStuck", "KubeDaemonSetNotScheduled", "KubeDaemonSetMisScheduled", "KubeJobNotCompleted",
            "KubeJobFailed", "KubeNodeNotReady", "KubeNodePressure", "KubeNodeUnreachable");

    /** One alerting rule as this test compares it. */
    private record Meaning(List<String> thresholds, long forSeconds, String severity) implements Comparable<Meaning> {
        @Override
        public int compareTo(Meaning other) {
            return toString().compareTo(other.toString());
        }
    }

    @Test
    void everySharedAlertNameHasTheMixinsThresholdsForAndSeverity() throws IOException {
        Map<String, List<JsonNode>> ours = ourAlerts();
        Map<String, List<JsonNode>> theirs = new TreeMap<>();
        for (KubePrometheus.Rule rule : KubePrometheus.rules()) {
            if (rule.isAlert()) {
                theirs.computeIfAbsent(rule.name(), n -> new ArrayList<>()).add(rule.rule());
            }
        }

        Set<String> shared = new TreeSet<>(ours.keySet());
        shared.retainAll(theirs.keySet());
        assertEquals(new TreeSet<>(SHARED), shared, "the alert names Vedetta shares with the mixins");
        assertFalse(ours.containsKey("KubeletDown"), "KubeletDown means a kubelet missing from Prometheus' targets");

        for (String name : shared) {
            assertEquals(meanings(theirs.get(name)), meanings(ours.get(name)),
                    name + ": thresholds, for and severity of each rule");
            assertEquals(seriesRead(theirs.get(name)), seriesRead(ours.get(name)), name + ": the series it reads");
        }
    }

    @Test
    void thresholdsAreTheNumbersAndWindowsOfAnExpression() {
        assertEquals(List.of("0.0", "100.0", "15.0", "24.0", "60.0", "60.0", "[6h]"), PromQl.thresholds(
                "node_filesystem_avail_bytes{fstype!=\"\"} / node_filesystem_size_bytes * 100 < 15 "
                        + "and predict_linear(node_filesystem_avail_bytes[6h], 24*60*60) < 0 # not 7"));
        assertEquals(List.of("100.0", "25.0", "[5m]"), PromQl.thresholds(
                "sum by (pod) (topk by (pod, instance) (1, increase(x_total{le=\"1\"}[5m]))) > ( 25 / 100 )"));
    }

    @Test
    void selectorsAreTheVectorSelectorsOfAnExpressionAsWritten() {
        assertEquals(List.of("kube_pod_owner{job=\"vedetta\", owner_kind=\"ReplicaSet\"}",
                        "kube_replicaset_owner{job=\"vedetta\", owner_kind=\"\"}", "up"),
                PromQl.selectors("""
                        max by (cluster, namespace, workload, pod) (  # a comment naming fake_series{x="y"}
                          label_replace(kube_pod_owner{job="vedetta", owner_kind="ReplicaSet"}, "replicaset", "$1",
                            "owner_name", "(.*)") * on (replicaset) group_left(owner_name) topk by(replicaset) (
                              1, kube_replicaset_owner{job="vedetta", owner_kind=""}[5m] offset 5m)
                        ) > 0 unless up == bool 1
                        """));
    }

    private static Map<String, List<JsonNode>> ourAlerts() throws IOException {
        Map<String, List<JsonNode>> alerts = new TreeMap<>();
        try (Stream<Path> files = Files.list(AlertingSetup.repo().resolve("alert-rules/rules"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode group : KubePrometheus.YAML.readTree(file.toFile()).path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        if (rule.has("alert")) {
                            alerts.computeIfAbsent(rule.path("alert").asText(), n -> new ArrayList<>()).add(rule);
                        }
                    }
                }
            }
        }
        assertTrue(alerts.size() > 10, "too few alerts read: " + alerts.keySet());
        return alerts;
    }

    private static List<Meaning> meanings(List<JsonNode> rules) {
        List<Meaning> out = new ArrayList<>();
        for (JsonNode rule : rules) {
            out.add(new Meaning(PromQl.thresholds(rule.path("expr").asText()), seconds(rule.path("for").asText("0s")),
                    rule.path("labels").path("severity").asText()));
        }
        out.sort(null);
        return out;
    }

    private static Set<String> seriesRead(List<JsonNode> rules) {
        Set<String> names = new TreeSet<>();
        rules.forEach(r -> names.addAll(PromQl.metricNames(r.path("expr").asText())));
        return names;
    }

    /** A Prometheus duration such as {@code 1h30m} in seconds. */
    private static long seconds(String duration) {
        return Duration.parse("PT" + duration.toUpperCase().replaceAll("(\\d+)D", "$1DT")
                .replace("PTT", "PT")).getSeconds();
    }
}

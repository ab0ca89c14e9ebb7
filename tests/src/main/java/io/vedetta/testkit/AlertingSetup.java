package io.vedetta.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shipped alerting files, made fast for tests and the demo: every rule's {@code for} becomes
 * {@code 1s}, and the Alertmanager example sends to a local webhook and groups within a second.
 * Nothing else changes, so what is tested is the rules and routes users get.
 */
public final class AlertingSetup {

    public static final String EXAMPLE_BRIDGE = "http://alert-bridge.monitoring.svc:8080";

    private AlertingSetup() {
    }

    public static Path repo() {
        Path repo = Path.of(System.getProperty("vedetta.repo", ".")).toAbsolutePath().normalize();
        if (!Files.isDirectory(repo.resolve("alert-rules/rules"))) {
            throw new IllegalStateException("alert-rules/rules not found under " + repo);
        }
        return repo;
    }

    /** Copies of the rule files with {@code for: 1s}, written into {@code dir}; returns their paths. */
    public static List<Path> fastRules(Path dir) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(repo().resolve("alert-rules/rules"))) {
            Files.createDirectories(dir);
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                Path copy = dir.resolve(file.getFileName());
                Files.writeString(copy, Files.readString(file).replaceAll("(?m)^(\\s+)for: \\d+[smh]$", "$1for: 1s"));
                out.add(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static String alertmanagerConfig(String webhookUrl) {
        try {
            return Files.readString(repo().resolve("alert-rules/alertmanager.yml"))
                    .replace(EXAMPLE_BRIDGE, webhookUrl)
                    .replaceAll("group_wait: \\w+", "group_wait: 1s")
                    .replaceAll("group_interval: \\w+", "group_interval: 1s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The namespace and the pod name of the agent on {@code node}, as the chart's DaemonSet would name it. */
    public static final String AGENT_NAMESPACE = "vedetta";

    public static String agentPod(String node) {
        return "vedetta-" + node;
    }

    /**
     * The Prometheus config that scrapes the agent, evaluates {@code rules} and alerts {@code alertmanagerUrl}.
     * The agent's target gets the labels the chart's ServiceMonitor gives it (checked against the rendered chart):
     * {@code node}, honoured series labels, and {@code node_*} labelled with the agent's pod. Alerts carrying a
     * {@code mixin} label (rules loaded only to be evaluated) never reach Alertmanager.
     */
    public static String prometheusConfig(int agentPort, String node, List<Path> rules, String alertmanagerUrl) {
        StringBuilder ruleFiles = new StringBuilder();
        rules.forEach(r -> ruleFiles.append("  - ").append(r).append('\n'));
        return """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                %s
                alerting:
                  alert_relabel_configs:
                    - source_labels: [mixin]
                      regex: .+
                      action: drop
                  alertmanagers:
                    - static_configs:
                        - targets: ["%s"]
                scrape_configs:
                  - job_name: vedetta
                    honor_labels: true
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                        labels:
                          node: %s
                          agent_namespace: %s
                          agent_pod: %s
                    metric_relabel_configs:
                %s
                """.formatted(ruleFiles.toString().stripTrailing(), alertmanagerUrl.replace("http://", ""), agentPort,
                node, AGENT_NAMESPACE, agentPod(node), SERVICE_MONITOR_METRIC_RELABELINGS.indent(6).stripTrailing());
    }

    /** The chart ServiceMonitor's own metricRelabelings, in Prometheus' spelling. */
    public static final String SERVICE_MONITOR_METRIC_RELABELINGS = """
            - source_labels: [__name__, agent_namespace]
              regex: node_.+;(.+)
              target_label: namespace
            - source_labels: [__name__, agent_pod]
              regex: node_.+;(.+)
              target_label: pod
            - action: labeldrop
              regex: agent_namespace|agent_pod
            """;
}

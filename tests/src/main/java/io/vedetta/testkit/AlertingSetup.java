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

    /** The Prometheus config that scrapes the agent, evaluates {@code rules} and alerts {@code alertmanagerUrl}. */
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
                  alertmanagers:
                    - static_configs:
                        - targets: ["%s"]
                scrape_configs:
                  - job_name: vedetta
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                        labels:
                          node: %s
                """.formatted(ruleFiles.toString().stripTrailing(), alertmanagerUrl.replace("http://", ""), agentPort, node);
    }
}

package io.vedetta.e2e;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.PrometheusProcess;
import io.vedetta.testkit.SimulatedNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real servers of the end-to-end tests, started once per test run and shared by every test class:
 * a simulated node (mock API with a few pods), the packaged agent pointed at it, and a real Prometheus
 * scraping the agent every second. Stopped by a shutdown hook when the test JVM exits.
 */
final class E2eEnvironment {

    static final String NODE = "e2e-node";
    private static E2eEnvironment instance;

    final SimulatedNode node;
    final AgentProcess agent;
    final PrometheusProcess prometheus;

    private E2eEnvironment(Path dir) {
        node = new SimulatedNode(NODE);
        node.addRunningPod("shop", "web-7f9c", "web", "nginx", "php-fpm");
        node.addRunningPod("shop", "payments-6c4d", "payments", "worker");
        node.addRunningPod("kube-system", "coredns-5d78", "coredns", "coredns");
        agent = AgentProcess.start(dir.resolve("agent"), """
                kubernetes:
                  apiServer: %s
                metrics:
                  kubelet:
                    enabled: false
                logs:
                  enabled: false
                logging:
                  format: json
                """.formatted(node.apiServerUrl()), Map.of("NODE_NAME", NODE));
        prometheus = PrometheusProcess.start(dir.resolve("prometheus"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: vedetta
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(agent.port()), List.of());
    }

    static synchronized E2eEnvironment get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("vedetta-e2e");
                instance = new E2eEnvironment(dir);
                E2eEnvironment started = instance;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "e2e-teardown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private void close() {
        prometheus.close();
        agent.close();
        node.close();
    }
}

package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusScrapesAgentTest {

    private final E2eEnvironment env = E2eEnvironment.get();

    @Test
    void realPrometheusScrapesTheRunningAgentWithUpEqualOne() {
        boolean up = Http.await(Duration.ofSeconds(30), () -> env.prometheus.value("up{job=\"vedetta\"}") == 1.0);

        assertTrue(up, "up{job=vedetta} never became 1; targets: " + env.prometheus.targets());
        assertEquals(1.0, env.prometheus.value("vedetta_build_info{job=\"vedetta\"}"));
    }

    @Test
    void prometheusSeesThePodsOfTheSimulatedNodeAndACrashLoop() {
        env.node.crashLoop("shop", "payments-6c4d");

        assertTrue(Http.await(Duration.ofSeconds(30), () -> env.prometheus.value("vedetta_kube_pods") >= 3.0),
                "vedetta_kube_pods never counted the 3 pods: " + env.prometheus.query("vedetta_kube_pods"));
        String pod = "namespace=\"shop\", pod=\"payments-6c4d\", container=\"worker\"";
        assertTrue(Http.await(Duration.ofSeconds(30), () -> env.prometheus.value(
                "kube_pod_container_status_waiting_reason{" + pod + ", reason=\"CrashLoopBackOff\"}") == 1.0),
                "the crash loop never reached Prometheus");
        assertTrue(env.prometheus.value("kube_pod_container_status_restarts_total{" + pod + "}") >= 1.0);
        assertEquals(1.0, env.prometheus.value(
                "kube_pod_container_status_last_terminated_reason{" + pod + ", reason=\"OOMKilled\"}"));
        assertEquals(1.0, env.prometheus.value("kube_pod_status_phase{pod=\"web-7f9c\", phase=\"Running\"}"));
        assertEquals(1.0, env.prometheus.value("vedetta_source_up{source=\"node\"}"));
        assertTrue(env.prometheus.value("node_memory_MemTotal_bytes") > 0);
    }

    @Test
    void exposedTextPassesPromtoolsParserAndLinter(@TempDir Path dir) throws IOException, InterruptedException {
        Http.Response metrics = Http.get(env.agent.url() + "/metrics");
        assertEquals(200, metrics.status());
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, metrics.body());

        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes());
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        // Lint applies to the series the agent names itself; the kubelet's own series pass through as they are,
        // and node_exporter's meminfo names are camelCase on purpose because users query them that way.
        List<String> problems = output.lines()
                .filter(line -> line.matches("(vedetta|kube_pod|node)_.*"))
                .filter(line -> !line.matches("node_memory_\\w+ metric names should be written in 'snake_case' not 'camelCase'"))
                .toList();
        assertTrue(promtool.exitValue() == 0 || promtool.exitValue() == 3, "promtool could not parse it:\n" + output);
        assertTrue(problems.isEmpty(), "promtool check metrics found:\n" + String.join("\n", problems));
    }
}

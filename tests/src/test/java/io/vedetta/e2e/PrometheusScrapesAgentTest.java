package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    void exposedTextPassesPromtoolsParserAndLinter(@TempDir Path dir) throws IOException, InterruptedException {
        Http.Response metrics = Http.get(env.agent.url() + "/metrics");
        assertEquals(200, metrics.status());
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, metrics.body());

        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes());
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), "promtool check metrics failed:\n" + output);
    }
}

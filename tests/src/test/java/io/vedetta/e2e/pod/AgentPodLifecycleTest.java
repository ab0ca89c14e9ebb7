package io.vedetta.e2e.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.pod.RenderedChart;
import io.vedetta.testkit.pod.RunningPod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's pod as the kubelet keeps it: env as rendered, heap within its limit, probes, an unprivileged variant. */
class AgentPodLifecycleTest extends AgentPodTest {

    @Test
    void runsWithTheRenderedEnvironmentAndAHeapSizedByItsMemoryLimit() {
        try (RunningPod pod = env.startReady(Map.of())) {
            Map<String, String> environ = environ(pod.containerPid());
            JsonNode rendered = RenderedChart.render(RenderedChart.scenario("defaults"), Map.of()).daemonSet()
                    .at("/spec/template/spec/containers/0/env");
            String javaOptions = null;
            for (JsonNode variable : rendered) {
                if (variable.path("name").asText().equals("JDK_JAVA_OPTIONS")) {
                    javaOptions = variable.path("value").asText();
                }
            }

            assertEquals(javaOptions, environ.get("JDK_JAVA_OPTIONS"), "exactly as rendered");
            assertEquals(AgentPodEnvironment.NODE, environ.get("NODE_NAME"));
            assertEquals(env.node.hostIp(), environ.get("HOST_IP"));
            assertEquals(pod.name(), environ.get("POD_NAME"));
            assertEquals("monitoring", environ.get("POD_NAMESPACE"));
            assertEquals("2", environ.get("MALLOC_ARENA_MAX"), "the image's own variables stay");
            assertTrue(Http.await(Duration.ofSeconds(60), () -> pod.get("/metrics").body().contains("jvm_memory_max_bytes{")));
            String metrics = pod.get("/metrics").body();
            double heap = Exposition.sum(metrics, "jvm_memory_max_bytes", "area=\"heap\"");
            assertTrue(heap > 200 * (1 << 20) && heap <= 256 * (1 << 20),
                    () -> "MaxRAMPercentage=50 of the 512Mi limit, not of this machine's memory: " + heap / (1 << 20)
                            + " MiB from " + metrics.lines().filter(l -> l.startsWith("jvm_memory_max")).toList());
        }
    }

    /**
     * The image's ENTRYPOINT names the class-data sharing archive its Dockerfile dumps, which JDK 17 maps only for
     * the jar at the path it was dumped with: inside the pod the JVM has it mapped (it unmaps an archive it rejects and
     * then shares nothing) and the agent logs no warning about sharing.
     */
    @Test
    void sharesTheClassesOfTheImagesArchive() throws IOException {
        try (RunningPod pod = env.startReady(Map.of())) {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pod.containerPid()), "cmdline"))
                    .replace('\0', ' ');
            List<String> archiveMappings = Files.readAllLines(Path.of("/proc", Long.toString(pod.containerPid()), "maps"))
                    .stream().filter(line -> line.endsWith(".jsa")).toList();

            assertTrue(cmdline.startsWith("java -XX:SharedArchiveFile=/opt/vedetta/vedetta-agent.jsa -jar "
                    + "/opt/vedetta/vedetta-agent.jar"), cmdline);
            assertTrue(archiveMappings.stream().anyMatch(line -> line.contains("vedetta-agent")),
                    () -> "the agent's archive is mapped: " + archiveMappings);
            assertTrue(archiveMappings.stream().noneMatch(line -> line.contains("/lib/server/classes")),
                    () -> "the agent's archive replaces the JDK's: " + archiveMappings);
            assertFalse(pod.logTail(200).contains("class-data sharing is off"), pod.logTail(200));
        }
    }

    @Test
    void aHungAgentFailsItsLivenessProbeAndIsRestarted() {
        Map<String, Object> fast = new LinkedHashMap<>();
        fast.put("livenessProbe.initialDelaySeconds", 10);
        fast.put("livenessProbe.periodSeconds", 2);
        fast.put("livenessProbe.timeoutSeconds", 1);
        fast.put("livenessProbe.failureThreshold", 3);
        fast.put("terminationGracePeriodSeconds", 3);
        try (RunningPod pod = env.startReady(fast)) {
            pod.signal(19);

            pod.awaitRestarts(1, Duration.ofSeconds(60));

            assertTrue(pod.status().contains("Liveness probe failed"), pod.status());
            assertEquals(137, pod.lastExit().code(), "a frozen JVM never handles SIGTERM: SIGKILL after the grace");
            pod.awaitReady(Duration.ofSeconds(90));
        }
    }

    @Test
    void withLogsOffItRunsAsAnUnprivilegedUserAndStillServesNodeMetrics() {
        try (RunningPod pod = env.start("logs-off", Map.of()).awaitReady(Duration.ofSeconds(90))) {
            Map<String, String> status = AgentPodLogsTest.status(pod.containerPid());
            assertEquals("10001\t10001\t10001\t10001", status.get("Uid"));
            assertEquals("0000000000000000", status.get("CapEff"));
            assertEquals("0000000000000000", status.get("CapPrm"));
            assertEquals("0000000000000000", status.get("CapBnd"));

            String metrics = pod.get("/metrics").body();
            for (String series : new String[] {"node_cpu_seconds_total{", "node_network_receive_bytes_total{",
                    "node_filesystem_size_bytes{", "node_memory_MemTotal_bytes "}) {
                assertTrue(metrics.contains(series), () -> series + " missing as UID 10001:\n" + errors(metrics));
            }
            assertTrue(metrics.contains("vedetta_source_up{source=\"node\"} 1"), () -> errors(metrics));
        }
    }

    @Test
    void boundToTheNodesIpTheAgentIsNotOnItsOtherAddresses() throws IOException {
        try (RunningPod pod = env.startReady(Map.of("config.http.address", "${HOST_IP}"))) {
            int port = pod.port("http-metrics");

            assertEquals(200, pod.get("/readyz").status(), "the kubelet's probes reach the node's IP");
            try (Socket loopback = new Socket()) {
                IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> loopback.connect(new InetSocketAddress("127.0.0.1", port), 2000));
                assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
            }
        }
    }

    private static String errors(String metrics) {
        return String.join("\n", metrics.lines().filter(l -> (l.startsWith("vedetta_errors_total")
                || l.startsWith("vedetta_node_collector_errors_total")) && !l.endsWith(" 0.0")).toList());
    }

    static Map<String, String> environ(long pid) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String entry : new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")),
                    StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    out.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}

package io.vedetta.testkit.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The kubelet's work while a pod runs: probes, restarts, deletion with its grace period, resources. */
class PodLifecycleTest extends RunnerNodeTest {

    private static final String FAST_PROBES = "periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 2";
    @Test
    void readinessFollowsTheReadinessProbeBothWays() {
        try (RunningPod pod = node.run(HttpTarget.pod("readiness",
                "readinessProbe: {httpGet: {path: /ready, port: http}, " + FAST_PROBES + "}\n", ""))) {
            pod.awaitReady(Duration.ofSeconds(30));

            pod.exec("sh", "-c", "mkdir -p /tmp/fail && touch /tmp/fail/ready");
            assertTrue(Http.await(Duration.ofSeconds(20), () -> !pod.ready()), pod.status());
            pod.exec("rm", "/tmp/fail/ready");
            assertTrue(Http.await(Duration.ofSeconds(20), pod::ready), pod.status());
            assertEquals(0, pod.restarts(), "readiness never restarts a container");
        }
    }

    @Test
    void aProbeTheContainerDoesNotAnswerWithinItsTimeoutFails() {
        try (RunningPod pod = node.run(HttpTarget.pod("timeout",
                "readinessProbe: {httpGet: {path: /ready, port: http}, " + FAST_PROBES + "}\n", ""))) {
            pod.awaitReady(Duration.ofSeconds(30));

            pod.signal(19);
            assertTrue(Http.await(Duration.ofSeconds(20), () -> !pod.ready()), "a frozen server answers no probe");
            pod.signal(18);
            assertTrue(Http.await(Duration.ofSeconds(20), pod::ready), pod.status());
        }
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() {
        try (RunningPod pod = node.run(HttpTarget.pod("liveness",
                "livenessProbe: {httpGet: {path: /healthz, port: http}, " + FAST_PROBES + "}\n", ""))) {
            pod.exec("sh", "-c", "mkdir -p /tmp/fail && touch /tmp/fail/healthz");

            pod.awaitRestarts(1, Duration.ofSeconds(30));

            assertTrue(pod.status().contains("Liveness probe failed"), pod.status());
            assertEquals(0, pod.lastExit().code(), "the target exits cleanly on the kubelet's SIGTERM");
            assertEquals(1, pod.restarts());
        }
    }

    @Test
    void aContainerThatDiesIsRestartedAtOnce() {
        try (RunningPod pod = node.run(RunnerNode.pod("crash", RunnerNode.SLEEP, "", ""))) {
            long first = pod.containerPid();

            pod.killContainer();
            pod.awaitRestarts(1, Duration.ofSeconds(30));

            assertEquals(137, pod.lastExit().code(), "killed by SIGKILL: 128 + 9");
            assertTrue(pod.containerPid() != first);
        }
    }

    @Test
    void deletionSendsSigtermThenSigkillWhenTheGracePeriodRunsOut() {
        RunningPod stubborn = node.run(RunnerNode.pod("stubborn",
                "[sh, -c, \"trap '' TERM; while true; do sleep 0.2; done\"]", "", ""));
        long begin = System.nanoTime();
        ContainerExit killed = stubborn.stop();
        long millis = (System.nanoTime() - begin) / 1_000_000;

        assertEquals(137, killed.code(), "ignored SIGTERM, so SIGKILL after terminationGracePeriodSeconds");
        assertTrue(millis >= 2000, "waited the 2 s grace first, took " + millis + " ms");

        RunningPod polite = node.run(RunnerNode.pod("polite", RunnerNode.SLEEP, "", ""));
        assertEquals(0, polite.stop().code(), "handled SIGTERM and exited by itself");
    }

    @Test
    void theMemoryLimitIsTheContainersCgroupLimit() throws Exception {
        try (RunningPod pod = node.run(RunnerNode.pod("limited", RunnerNode.SLEEP, """
                resources:
                  requests: {cpu: 100m, memory: 32Mi}
                  limits: {memory: 64Mi, cpu: 500m}
                """, ""))) {
            String memoryPath = Files.readAllLines(Path.of("/proc", String.valueOf(pod.containerPid()), "cgroup")).stream()
                    .map(line -> line.split(":", 3)).filter(f -> f[1].equals("memory") || f[1].isEmpty())
                    .map(f -> f[2]).findFirst().orElseThrow();
            Path v1 = Path.of("/sys/fs/cgroup/memory", memoryPath, "memory.limit_in_bytes");
            Path limit = Files.exists(v1) ? v1 : Path.of("/sys/fs/cgroup", memoryPath, "memory.max");

            assertEquals(String.valueOf(64 << 20), Files.readString(limit).strip());
            assertFalse(memoryPath.equals("/"), "in a cgroup of its own");
            Path quota = Path.of("/sys/fs/cgroup/cpu", memoryPath, "cpu.cfs_quota_us");
            Path max = Path.of("/sys/fs/cgroup", memoryPath, "cpu.max");
            assertEquals(Files.exists(quota) ? "50000" : "50000 100000",
                    Files.readString(Files.exists(quota) ? quota : max).strip(), "half a CPU as a CFS quota");
        }
    }
}

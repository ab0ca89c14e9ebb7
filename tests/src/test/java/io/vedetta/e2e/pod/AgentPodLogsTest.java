package io.vedetta.e2e.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.pod.KubeletLogs;
import io.vedetta.testkit.pod.RunningPod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Container logs shipped by the agent run as the chart's pod: files root wrote with mode 0640 in directories only root
 * may enter, read by UID 0 holding DAC_READ_SEARCH and no other capability, into the real Elasticsearch; positions
 * kept in the state hostPath across a container restart, and flushed on SIGTERM within the grace period.
 */
class AgentPodLogsTest extends AgentPodTest {

    @Test
    void logsOnlyRootMayReadReachElasticsearchThroughDacReadSearchAlone() throws IOException {
        Pod web = env.api.addRunningPod("logs-dac", "web-7f9c8d", "web", "nginx");
        Path file = env.logs.create(web, "nginx");
        KubeletLogs.append(file, lines("request", 20));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        try (RunningPod pod = env.startReady(Map.of())) {
            Map<String, String> status = status(pod.containerPid());
            assertEquals("0\t0\t0\t0", status.get("Uid"));
            assertEquals("0000000000000004", status.get("CapEff"), "DAC_READ_SEARCH and nothing else");
            assertEquals("0000000000000004", status.get("CapBnd"));
            assertEquals("1", status.get("NoNewPrivs"));

            assertTrue(Http.await(Duration.ofSeconds(60), () -> env.documents("logs-dac", "web-7f9c8d") == 20),
                    () -> "documents in Elasticsearch: " + env.documents("logs-dac", "web-7f9c8d") + "; " + pod.status());
        }
    }

    @Test
    void positionsSurviveAContainerRestartAndSigtermWithinTheGraceFlushesThem() throws IOException {
        Pod worker = env.api.addRunningPod("logs-restart", "worker-6c4d2f", "worker", "worker");
        Path file = env.logs.create(worker, "worker");
        KubeletLogs.append(file, lines("before the crash", 10));

        RunningPod pod = env.startReady(Map.of());
        try {
            assertTrue(Http.await(Duration.ofSeconds(60), () -> env.documents("logs-restart", "worker-6c4d2f") == 10));
            pod.killContainer();
            pod.awaitRestarts(1, Duration.ofSeconds(60)).awaitReady(Duration.ofSeconds(90));
            KubeletLogs.append(file, lines("after the restart", 10));

            assertTrue(Http.await(Duration.ofSeconds(60), () -> env.position(file) == fileSize(file)),
                    () -> "position " + env.position(file) + " of " + fileSize(file));
            assertTrue(Http.await(Duration.ofSeconds(30), () -> env.documents("logs-restart", "worker-6c4d2f") == 20),
                    () -> "nothing lost, nothing twice across the restart: " + env.documents("logs-restart", "worker-6c4d2f"));

            KubeletLogs.append(file, lines("around SIGTERM", 5));
        } finally {
            io.vedetta.testkit.pod.ContainerExit exit = pod.stop();
            assertEquals(143, exit.code(), "stopped by SIGTERM after a clean shutdown, within the grace period");
        }
        long saved = env.position(file);
        long savedLines = linesBefore(file, saved);
        assertTrue(Http.await(Duration.ofSeconds(30), () -> env.documents("logs-restart", "worker-6c4d2f") == savedLines),
                () -> "on SIGTERM the position of every delivered line is saved, and only of those: saved " + savedLines
                        + " lines, Elasticsearch has " + env.documents("logs-restart", "worker-6c4d2f"));

        try (RunningPod next = env.startReady(Map.of())) {
            assertTrue(Http.await(Duration.ofSeconds(60), () -> env.position(file) == fileSize(file)));
            assertTrue(Http.await(Duration.ofSeconds(30), () -> env.documents("logs-restart", "worker-6c4d2f") == 25),
                    () -> "the next pod resumes where the last stopped: " + env.documents("logs-restart", "worker-6c4d2f"));
        }
    }

    /** Complete lines in the first {@code offset} bytes of {@code file}. */
    static long linesBefore(Path file, long offset) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return IntStream.range(0, (int) Math.min(offset, bytes.length)).filter(i -> bytes[i] == '\n').count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String[] lines(String text, int count) {
        return IntStream.range(0, count).mapToObj(i -> text + " " + i).toArray(String[]::new);
    }

    static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, String> status(long pid) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    out.put(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}

package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent among unfriendly neighbours in its log directory: a FIFO where a rotated copy would be, a
 * file whose open the kernel holds back, symlinks to files of the node. Reading goes on, readiness tells the truth,
 * SIGTERM stops it within its grace, and nothing outside the log tree is shipped.
 */
class HostileFilesEndToEndTest {

    @TempDir
    Path dir;
    /** Closed after each test, failed ones included, so no agent outlives its test. */
    private AgentProcess started;

    @AfterEach
    void stopAgent() {
        if (started != null) {
            started.close();
        }
    }

    private Path containers() throws IOException {
        return Files.createDirectories(dir.resolve("containers"));
    }

    private static Path log(Path containers, String pod, char id) {
        return containers.resolve(pod + "_shop_app-" + String.valueOf(id).repeat(64) + ".log");
    }

    private AgentProcess agent(String extraLogs) throws IOException {
        started = AgentProcess.start(dir.resolve("agent"), """
                shutdownGrace: 10s
                kubernetes: {enabled: false}
                metrics:
                  kubelet: {enabled: false}
                logs:
                  enabled: true
                  paths: ["%s/*.log"]
                  stateDir: %s
                  podWait: 0s
                  batch: {linger: 100ms}
                  sink: {type: file, path: "%s"}
                %s
                """.formatted(containers(), dir.resolve("state"), dir.resolve("shipped.ndjson"), extraLogs), Map.of());
        return started;
    }

    private List<String> shipped() {
        try {
            Path file = dir.resolve("shipped.ndjson");
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void appendCri(Path file, String... messages) {
        StringBuilder out = new StringBuilder();
        for (String message : messages) {
            out.append("2026-11-25T00:00:00.000000001Z stdout F ").append(message).append('\n');
        }
        try {
            Files.writeString(file, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void stopsWithinItsGrace(AgentProcess agent) {
        long begin = System.nanoTime();
        int exit = agent.process().stop(30);
        long millis = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(143, exit, "terminated by SIGTERM after a clean shutdown");
        assertTrue(millis < 10_000, "stopped within shutdownGrace (10s), took " + millis + " ms");
    }

    @Test
    void aFifoNamedLikeARotatedCopyStopsNeitherReadingNorShutdown() throws Exception {
        Path log = log(containers(), "web-1", 'a');
        appendCri(log, "before one", "before two");
        run("mkfifo", log + ".1");
        AgentProcess agent = agent("");
        assertTrue(Http.await(Duration.ofSeconds(30), () -> shipped().size() == 2), "never shipped; agent log:\n"
                + agent.process().tail(20));

        // copytruncate: the agent looks for the copy among the longer names and meets the FIFO.
        Files.write(log, new byte[0]);
        appendCri(log, "after one", "after two");

        assertTrue(Http.await(Duration.ofSeconds(30), () -> shipped().size() == 4),
                "reading stopped at the FIFO: " + shipped() + "\n" + agent.process().tail(20));
        assertEquals(1.0, agent.metric("vedetta_log_files_refused_total{reason=\"not_regular\"}"));
        assertEquals(200, Http.get(agent.url() + "/readyz").status());
        stopsWithinItsGrace(agent);
    }

    @Test
    void aReaderHeldInAnOpenFailsReadinessWithTheReasonUntilItMovesAgain() throws Exception {
        Path containers = containers();
        appendCri(log(containers, "web-1", 'a'), "a first line");
        AgentProcess agent = agent("  stuckTimeout: 2s");
        assertTrue(Http.await(Duration.ofSeconds(30), () -> shipped().size() == 1
                && Http.get(agent.url() + "/readyz").status() == 200), "never ready: " + agent.process().tail(20));

        // A write lease makes the kernel hold back every other open of the file until it is released: a
        // deterministic stand-in for a file system that hangs. Taken before the file enters the log directory.
        Path staging = Files.createDirectories(dir.resolve("staging")).resolve("leased.log");
        appendCri(staging, "held back");
        Path script = Files.writeString(dir.resolve("lease.py"), """
                import fcntl, os, signal, sys, time
                signal.signal(signal.SIGIO, signal.SIG_IGN)
                fd = os.open(sys.argv[1], os.O_RDONLY)
                fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
                print("leased", flush=True)
                time.sleep(120)
                """);
        Path leaseLog = dir.resolve("lease.log");
        try (ManagedProcess lease = new ManagedProcess("lease", List.of("python3", script.toString(),
                staging.toString()), Map.of(), leaseLog)) {
            assertTrue(Http.await(Duration.ofSeconds(10), () -> read(leaseLog).contains("leased")),
                    "no lease: " + read(leaseLog));
            Path leased = log(containers, "held-1", 'b');
            Files.move(staging, leased);

            assertTrue(Http.await(Duration.ofSeconds(20), () -> Http.get(agent.url() + "/readyz").status() == 503),
                    "readiness never failed: " + agent.process().tail(20));
            String reason = Http.get(agent.url() + "/readyz").body();
            assertTrue(reason.contains("log-shipping: log tailer stuck") && reason.contains(leased.toString()), reason);
            assertTrue(agent.metric("vedetta_log_tailer_stuck_total{reason=\"blocked\"}") >= 1.0, "counted");
            lease.kill();
        }

        assertTrue(Http.await(Duration.ofSeconds(30), () -> shipped().size() == 2
                && Http.get(agent.url() + "/readyz").status() == 200), "never recovered: " + agent.process().tail(20));
        stopsWithinItsGrace(agent);
    }

    @Test
    void symlinksToFilesOfTheNodeAreNotShipped() throws Exception {
        Path containers = containers();
        Path secret = Files.createDirectories(dir.resolve("kubelet")).resolve("token");
        Files.writeString(secret, "2026-11-25T00:00:00.000000001Z stdout F node-credential-do-not-ship\n");
        Files.createSymbolicLink(log(containers, "evil-1", 'e'), secret);
        Files.createSymbolicLink(log(containers, "evil-2", 'f'), Path.of("/etc/passwd"));
        appendCri(log(containers, "web-1", 'a'), "a container's line");
        AgentProcess agent = agent("");

        assertTrue(Http.await(Duration.ofSeconds(30), () -> shipped().size() == 1
                && agent.metric("vedetta_log_files_refused_total{reason=\"outside_roots\"}") == 2.0),
                "links not refused: " + shipped() + "\n" + agent.process().tail(20));
        assertTrue(shipped().get(0).contains("a container's line"), shipped().get(0));
        assertFalse(String.join("\n", shipped()).contains("node-credential"), "the link's target was shipped");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

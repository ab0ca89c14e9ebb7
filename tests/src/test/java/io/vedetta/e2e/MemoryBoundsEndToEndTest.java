package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.bench.ChartJvm;
import io.vedetta.bench.DiscardBulkEndpoint;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent under the Helm chart's heap (its javaOptions under its 512Mi limit: a 256 MiB heap, exit on
 * OutOfMemoryError) fed what used to exhaust it: twenty thousand log files (a buffer each, no cap on open files),
 * and 2,048 lines of 4 MiB (a line queue counted in lines, a buffer that never shrank, batches counted in records).
 * Every record is counted by a {@code _bulk} endpoint that discards the documents: nothing lost, nothing twice.
 * Functional tests with a memory bound, not benchmarks: nothing here is timed beyond generous deadlines.
 */
class MemoryBoundsEndToEndTest {

    @TempDir
    Path dir;
    private DiscardBulkEndpoint elasticsearch;
    private AgentProcess agent;

    @BeforeEach
    void startElasticsearchStandIn() throws IOException {
        elasticsearch = new DiscardBulkEndpoint();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        elasticsearch.close();
    }

    private AgentProcess startAgent(Path containers) throws IOException {
        ChartJvm chart = ChartJvm.ofThisRepository();
        return AgentProcess.start(dir.resolve("agent"), """
                kubernetes: {enabled: false}
                metrics:
                  kubelet: {enabled: false}
                  node: {enabled: false}
                logs:
                  enabled: true
                  paths: ["%s/*.log"]
                  stateDir: %s
                  podWait: 0s
                  batch: {linger: 200ms}
                elasticsearch:
                  urls: ["%s"]
                  template: {install: false}
                """.formatted(containers, dir.resolve("state"), elasticsearch.url()), chart.environment(),
                chart.options());
    }

    private static Path logFile(Path containers, int n) {
        return containers.resolve(String.format(Locale.ROOT, "app-%05d_shop_app-%064x.log", n, n));
    }

    private void awaitItems(long expected, Duration within) {
        assertTrue(Http.await(within, () -> elasticsearch.items() >= expected || !agent.process().isAlive()),
                elasticsearch.items() + " of " + expected + " records arrived; agent log:\n" + agent.process().tail(20));
        assertTrue(agent.process().isAlive(), "the agent died: " + agent.process().tail(20));
        assertEquals(expected, elasticsearch.items(), "every record once");
    }

    private void assertNoOutOfMemory() throws IOException {
        assertFalse(Files.readString(agent.process().log()).contains("OutOfMemoryError"), agent.process().tail(20));
    }

    @Test
    void twentyThousandFilesAreAllReadOnceUnderTheChartsHeap() throws Exception {
        Path containers = Files.createDirectories(dir.resolve("containers"));
        int files = 20_000;
        for (int n = 0; n < files; n++) {
            append(logFile(containers, n), n, 0, 5);
        }
        agent = startAgent(containers);
        awaitItems(5L * files, Duration.ofMinutes(3));

        // Every file once more: a file closed to give its place is reopened by identity and goes on where it stopped.
        for (int n = 0; n < files; n++) {
            append(logFile(containers, n), n, 5, 6);
        }
        awaitItems(6L * files, Duration.ofMinutes(3));
        assertTrue(agent.metric("vedetta_log_files_watched") <= 1024, "logs.maxOpenFiles holds");
        assertNoOutOfMemory();
    }

    @Test
    void linesOf4MiBPassUnderTheChartsHeap() throws Exception {
        Path containers = Files.createDirectories(dir.resolve("containers"));
        int lines = 2_048;
        int filesCount = 128;
        byte[] message = new byte[4 << 20];
        Arrays.fill(message, (byte) 'x');
        byte[] header = "2026-11-25T00:00:00.000000001Z stdout F ".getBytes(StandardCharsets.US_ASCII);
        int messageLength = message.length - header.length - 1;
        for (int f = 0; f < filesCount; f++) {
            try (OutputStream out = Files.newOutputStream(logFile(containers, f))) {
                for (int i = 0; i < lines / filesCount; i++) {
                    out.write(header);
                    out.write(message, 0, messageLength);
                    out.write('\n');
                }
            }
        }
        agent = startAgent(containers);

        // A 4 MiB line makes four records of at most logs.maxLineBytes (1 MiB).
        awaitItems(4L * lines, Duration.ofMinutes(5));
        assertEquals((double) lines, agent.metric("vedetta_log_lines_split_total"),
                "every line split");
        assertNoOutOfMemory();
    }

    private static void append(Path file, int n, int from, int to) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            out.append("2026-11-25T00:00:00.000000001Z stdout F file ").append(n).append(" line ").append(i).append('\n');
        }
        Files.writeString(file, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}

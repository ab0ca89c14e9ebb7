package io.vedetta.agent.metrics.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.metrics.ExpositionText;
import io.vedetta.agent.metrics.Golden;
import io.vedetta.agent.metrics.HostPaths;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture /proc and /sys trees read by a real node_exporter ({@code --path.procfs}, {@code --path.sysfs}) and
 * by the node source give the same series with the same values, for the readers whose files node_exporter reads
 * from those paths: RAID, bonding, vmstat, file descriptors, conntrack, memory, disks and load. (It reads network
 * devices through netlink and the clock through adjtimex, whatever the paths; the real-host test covers those.)
 */
class NodeSourceMatchesNodeExporterOnFixturesTest {

    private static final Path FIXTURE = Path.of("src/test/resources/node").toAbsolutePath();
    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    private static final List<String> COLLECTORS = List.of("mdadm", "bonding", "vmstat", "filefd", "conntrack",
            "meminfo", "diskstats", "loadavg");
    private static final List<String> PREFIXES = List.of("node_md_", "node_bonding_", "node_vmstat_", "node_filefd_",
            "node_nf_conntrack_entries", "node_memory_", "node_disk_", "node_load");

    private Process nodeExporter;

    @AfterEach
    void stop() throws InterruptedException {
        if (nodeExporter != null) {
            nodeExporter.destroy();
            nodeExporter.waitFor();
        }
    }

    @Test
    void readsTheFixtureTreesAsNodeExporterDoes(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isExecutable(NODE_EXPORTER), NODE_EXPORTER + " is not installed: apt-get install prometheus-node-exporter");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new java.util.ArrayList<>(List.of(NODE_EXPORTER.toString(),
                "--web.listen-address=127.0.0.1:" + port, "--path.procfs=" + FIXTURE.resolve("proc"),
                "--path.sysfs=" + FIXTURE.resolve("sys"), "--path.udev.data=" + tmp, "--collector.disable-defaults"));
        COLLECTORS.forEach(c -> command.add("--collector." + c));
        Path log = tmp.resolve("node_exporter.log");
        nodeExporter = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        Map<String, Double> theirs = selected(ExpositionText.series(scrape(port, log)));
        Map<String, Double> ours = selected(ExpositionText.series(Golden.exposition(new NodeSource(
                new HostPaths(FIXTURE.resolve("proc"), FIXTURE.resolve("sys"), Path.of("/fixture-host")),
                new FixtureFilesystemStats(Path.of("/fixture-host"), FIXTURE.resolve("statvfs.txt")),
                NodeSourceFixtureTest.CLOCK, new SimpleMeterRegistry()).collect())));

        assertTrue(theirs.keySet().stream().anyMatch(k -> k.startsWith("node_md_disks{")), theirs.toString());
        assertTrue(theirs.keySet().stream().anyMatch(k -> k.startsWith("node_bonding_active{")), theirs.toString());
        assertEquals(theirs.keySet(), ours.keySet());
        theirs.forEach((series, value) -> assertEquals(value, ours.get(series), Math.abs(value) * 1e-12, series));
    }

    /** The series of the compared readers that the agent serves (node_exporter has more md series). */
    private static Map<String, Double> selected(Map<String, Double> series) {
        Map<String, Double> out = new TreeMap<>();
        series.forEach((key, value) -> {
            String name = ExpositionText.name(key);
            if (PREFIXES.stream().anyMatch(name::startsWith)
                    && NodeMetrics.ALL.stream().anyMatch(m -> m.name().equals(name))) {
                out.put(key, value);
            }
        });
        return out;
    }

    private String scrape(int port, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!nodeExporter.isAlive()) {
                throw new AssertionError("node_exporter exited with " + nodeExporter.exitValue() + ": "
                        + Files.readString(log));
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node_exporter did not answer within 15 s: " + Files.readString(log));
    }
}

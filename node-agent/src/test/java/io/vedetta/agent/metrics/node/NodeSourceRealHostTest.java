package io.vedetta.agent.metrics.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.metrics.ExpositionText;
import io.vedetta.agent.metrics.Golden;
import io.vedetta.agent.metrics.HostPaths;
import io.vedetta.agent.metrics.MetricName;
import java.io.IOException;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This machine's real /proc and filesystems, compared with a real node_exporter started here with upstream's
 * default filters (the Debian build changes two of them: it also excludes {@code /run}, {@code /mnt},
 * {@code /media} mount points and the {@code lo} interface).
 */
class NodeSourceRealHostTest {

    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");

    private Process nodeExporter;
    private Map<String, Double> theirs;
    private Map<String, Double> ours;

    @BeforeEach
    void scrapeBoth(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = tmp.resolve("node_exporter.log");
        assertTrue(Files.isExecutable(NODE_EXPORTER), NODE_EXPORTER + " is not installed: apt-get install prometheus-node-exporter");
        nodeExporter = new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.loadavg",
                "--collector.filesystem", "--collector.netdev", "--collector.diskstats", "--collector.stat",
                "--collector.uname", "--collector.pressure", "--collector.vmstat", "--collector.filefd",
                "--collector.conntrack", "--collector.timex", "--collector.mdadm", "--collector.bonding",
                "--collector.filesystem.mount-points-exclude=" + FilesystemReader.DEFAULT_MOUNT_POINTS_EXCLUDE.pattern(),
                "--collector.netdev.device-exclude=")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String text = scrape(port, log);
        ours = ExpositionText.series(Golden.exposition(new NodeSource(HostPaths.under(Path.of("/")),
                FilesystemStats.forThisPlatform(), KernelClock.forThisPlatform(), new SimpleMeterRegistry()).collect()));
        theirs = ExpositionText.series(text);
    }

    @AfterEach
    void stopNodeExporter() throws InterruptedException {
        if (nodeExporter != null) {
            nodeExporter.destroy();
            nodeExporter.waitFor();
        }
    }

    @Test
    void exposesTheSameSeriesAsNodeExporter() {
        for (MetricName metric : NodeMetrics.ALL) {
            if (metric.name().startsWith("vedetta_")) {
                continue;
            }
            assertEquals(keys(theirs, metric.name()), keys(ours, metric.name()), metric.name());
        }
    }

    @Test
    void agreesWithNodeExporterOnStableValues() {
        assertEquals(theirs.get("node_memory_MemTotal_bytes"), ours.get("node_memory_MemTotal_bytes"));
        assertEquals(theirs.get("node_boot_time_seconds"), ours.get("node_boot_time_seconds"), 1.0);
        assertEquals(Runtime.getRuntime().availableProcessors(), cpus(ours));
        assertEquals(cpus(theirs), cpus(ours));
        for (String series : keys(theirs, "node_filesystem_size_bytes")) {
            assertEquals(theirs.get(series), ours.get(series), series);
        }
        for (String name : List.of("node_filesystem_files", "node_filesystem_readonly", "node_filesystem_device_error")) {
            for (String series : keys(theirs, name)) {
                assertEquals(theirs.get(series), ours.get(series), series);
            }
        }
    }

    @Test
    void valuesAreSane() {
        double total = ours.get("node_memory_MemTotal_bytes");
        assertTrue(total > 0);
        assertTrue(ours.get("node_memory_MemAvailable_bytes") <= total);
        assertTrue(ours.get("node_memory_MemFree_bytes") <= total);
        double bootTime = ours.get("node_boot_time_seconds");
        assertTrue(bootTime > 1.0e9 && bootTime < System.currentTimeMillis() / 1000.0, "boot time " + bootTime);
        double uptime = System.currentTimeMillis() / 1000.0 - bootTime;
        ours.forEach((series, value) -> {
            assertTrue(value >= 0, series + " is negative");
            if (series.startsWith("node_cpu_seconds_total")) {
                assertTrue(value <= uptime + 1, series + " exceeds the uptime " + uptime);
            }
        });
        keys(ours, "node_filesystem_size_bytes").forEach(size -> {
            String avail = size.replace("node_filesystem_size_bytes", "node_filesystem_avail_bytes");
            String free = size.replace("node_filesystem_size_bytes", "node_filesystem_free_bytes");
            assertTrue(ours.get(avail) <= ours.get(free) && ours.get(free) <= ours.get(size), size);
        });
        assertFalse(keys(ours, "node_uname_info").isEmpty());
    }

    private static Set<String> keys(Map<String, Double> series, String name) {
        return series.keySet().stream().filter(s -> ExpositionText.name(s).equals(name))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static long cpus(Map<String, Double> series) {
        return keys(series, "node_cpu_seconds_total").stream()
                .map(s -> s.substring(s.indexOf("cpu=\""), s.indexOf('"', s.indexOf("cpu=\"") + 5))).distinct().count();
    }

    private String scrape(int port, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!nodeExporter.isAlive()) {
                fail("node_exporter exited with " + nodeExporter.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        fail("node_exporter did not answer on 127.0.0.1:" + port + " within 15 s (" + last + "): " + Files.readString(log));
        return null;
    }
}

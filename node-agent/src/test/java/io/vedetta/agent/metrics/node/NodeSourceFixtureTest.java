package io.vedetta.agent.metrics.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.metrics.DeclaredFamilies;
import io.vedetta.agent.metrics.Golden;
import io.vedetta.agent.metrics.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSourceFixtureTest {

    private static final Path FIXTURE = Path.of("src/test/resources/node");
    private static final Path ROOTFS = Path.of("/fixture-host");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** An unsynchronised clock 1.234 ms off, with its error bounds (adjtimex says TIME_ERROR). */
    static final KernelClock CLOCK = () -> new KernelClock.Timex(KernelClock.TIME_ERROR, 1234, 16_000_000, 45_000, 0x41);

    private NodeSource source(Path procRoot) throws IOException {
        return new NodeSource(new HostPaths(procRoot, procRoot.resolveSibling("sys"), ROOTFS),
                new FixtureFilesystemStats(ROOTFS, FIXTURE.resolve("statvfs.txt")), CLOCK, registry);
    }

    private double errors(String collector) {
        return registry.get("vedetta.node.collector.errors").tag("collector", collector).counter().count();
    }

    @Test
    void exposesNodeExporterSeriesFromCapturedProcTree() throws Exception {
        Golden.assertMatches("node/expected.prom", source(FIXTURE.resolve("proc")).collect());
    }

    @Test
    void servesOnlyTheFamiliesItDeclares() throws Exception {
        NodeSource source = source(FIXTURE.resolve("proc"));

        DeclaredFamilies.assertDeclared(source, source.collect());
    }

    @Test
    void marksAMountPointThatCannotBeStattedWithADeviceErrorAndCountsIt() throws Exception {
        String text = Golden.exposition(source(FIXTURE.resolve("proc")).collect());

        String runLock = "{device=\"tmpfs\",fstype=\"tmpfs\",mountpoint=\"/run/lock\"}";
        assertEquals(List.of("node_filesystem_device_error" + runLock + " 1.0", "node_filesystem_readonly" + runLock + " 0.0"),
                text.lines().filter(l -> l.contains("mountpoint=\"/run/lock\"")).toList(),
                "only the error and read-only series, as node_exporter");
        assertTrue(text.contains("node_filesystem_size_bytes{device=\"tmpfs\",fstype=\"tmpfs\",mountpoint=\"/run\"}"), text);
        assertEquals(1, errors("filesystem"));
    }

    @Test
    void readOnlyComesFromTheMountOptionsNotFromAnOptionThatMentionsIt() throws Exception {
        String text = Golden.exposition(source(FIXTURE.resolve("proc")).collect());

        assertTrue(text.contains("node_filesystem_readonly{device=\"/dev/sdb1\",fstype=\"ext4\",mountpoint=\"/mnt/images\"} 1.0"), text);
        assertTrue(text.contains("node_filesystem_readonly{device=\"/dev/root\",fstype=\"ext4\",mountpoint=\"/\"} 0.0"),
                "errors=remount-ro is not ro");
    }

    @Test
    void oneUnreadableFileLeavesTheOtherReadersServed(@TempDir Path tmp) throws Exception {
        Path proc = copy(FIXTURE.resolve("proc"), tmp);
        Files.delete(proc.resolve("loadavg"));

        String text = Golden.exposition(source(proc).collect());

        assertFalse(text.contains("node_load1"), text);
        assertTrue(text.contains("node_memory_MemTotal_bytes 1.6772153344E10"), text);
        assertEquals(1, errors("loadavg"));
        assertEquals(0, errors("stat"));
    }

    @Test
    void badDiskstatsLineIsSkippedAndCountedWhileOtherDisksAreServed(@TempDir Path tmp) throws Exception {
        Path proc = copy(FIXTURE.resolve("proc"), tmp);
        Files.writeString(proc.resolve("diskstats"), " 8 16 sdb 12 0\n", StandardOpenOption.APPEND);

        String text = Golden.exposition(source(proc).collect());

        assertFalse(text.contains("device=\"sdb\""), text);
        assertTrue(text.contains("node_disk_read_bytes_total{device=\"nvme0n1\"}"), text);
        assertEquals(1, errors("diskstats"));
    }

    @Test
    void kernelWithoutPressureStallInformationHasNoPressureSeriesAndNoError(@TempDir Path tmp) throws Exception {
        Path proc = copy(FIXTURE.resolve("proc"), tmp);
        try (Stream<Path> files = Files.list(proc.resolve("pressure"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(proc.resolve("pressure"));

        String text = Golden.exposition(source(proc).collect());

        assertFalse(text.contains("node_pressure"), text);
        assertEquals(0, errors("pressure"));
    }

    @Test
    void wrongHostRootFailsTheCollectionNamingTheSetting(@TempDir Path tmp) throws Exception {
        IOException e = assertThrows(IOException.class, () -> source(tmp.resolve("missing")).collect());

        assertTrue(e.getMessage().contains("metrics.hostRoot"), e.getMessage());
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }
}

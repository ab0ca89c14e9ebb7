package io.vedetta.agent.metrics.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.pods.PodMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** This machine's own /sys/fs/cgroup: v1, v2 or hybrid, whichever it runs. */
class CgroupRealHostTest {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    @Test
    void readsTheCountersOfThisProcesssCgroup() throws IOException {
        CgroupReader reader = FileCgroupReader.open(ROOT);

        CgroupStats stats = reader.read(ownCgroup());

        double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        assertTrue(stats.cpuUsageSeconds() > 0, "cpu " + stats.cpuUsageSeconds());
        assertTrue(stats.cpuUsageSeconds() <= uptime * Runtime.getRuntime().availableProcessors(),
                "cpu " + stats.cpuUsageSeconds() + " s exceeds uptime x cpus");
        long memTotal = memTotalBytes();
        assertTrue(stats.memoryUsageBytes() > 0 && stats.memoryUsageBytes() <= memTotal, "usage " + stats.memoryUsageBytes());
        assertTrue(stats.memoryWorkingSetBytes() <= stats.memoryUsageBytes());
        assertTrue(stats.memoryRssBytes() + stats.memoryCacheBytes() <= memTotal);
        assertTrue(stats.memoryLimitBytes() >= 0, "limit " + stats.memoryLimitBytes());
        assertTrue(stats.cpuPeriod() > 0, "period " + stats.cpuPeriod());
    }

    @Test
    void listsOnlyKubepodsCgroupsAndCollectsWithoutFailing() throws Exception {
        CgroupReader reader = FileCgroupReader.open(ROOT);
        List<String> ids = reader.kubepodsCgroups();
        ids.forEach(id -> assertTrue(id.startsWith("/kubepods"), id));

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new CgroupSource(reader, PodMetadata.NONE, registry).collect();

        assertEquals(0, registry.get("vedetta.cgroup.dropped").tag("reason", CgroupSource.UNREADABLE).counter().count());
    }

    /**
     * On v2 the cgroup of this process (its {@code 0::} line); on v1 the root, because a process's cgroups differ
     * per controller and the reader names one id for all of them.
     */
    private static String ownCgroup() throws IOException {
        if (!Files.exists(ROOT.resolve("cgroup.controllers"))) {
            return "/";
        }
        return Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                .filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst().orElse("/");
    }

    private static long memTotalBytes() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElseThrow();
    }
}

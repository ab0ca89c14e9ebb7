package io.vedetta.agent.metrics.cgroup;

import static io.vedetta.agent.metrics.cgroup.CgroupFiles.dir;
import static io.vedetta.agent.metrics.cgroup.CgroupFiles.keyed;
import static io.vedetta.agent.metrics.cgroup.CgroupFiles.limit;
import static io.vedetta.agent.metrics.cgroup.CgroupFiles.required;
import static io.vedetta.agent.metrics.cgroup.CgroupFiles.single;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * cgroup v2: one unified hierarchy. CFS counters are present in {@code cpu.stat} only where the cpu controller
 * is enabled, and read as 0 otherwise; {@code cpu.max} is {@code "<quota|max> <period>"}.
 */
final class CgroupV2Reader implements CgroupReader {

    private final Path root;

    CgroupV2Reader(Path root) {
        this.root = root;
    }

    @Override
    public List<String> kubepodsCgroups() throws IOException {
        return CgroupFiles.kubepods(root);
    }

    @Override
    public CgroupStats read(String id) throws IOException {
        Path dir = dir(root, id);
        Path cpuStatFile = dir.resolve("cpu.stat");
        Map<String, Long> cpuStat = keyed(cpuStatFile);
        Path memStatFile = dir.resolve("memory.stat");
        Map<String, Long> memStat = keyed(memStatFile);
        long usage = single(dir.resolve("memory.current"));
        String[] cpuMax = Files.readString(dir.resolve("cpu.max")).trim().split("\\s+");
        Map<String, Long> events = keyed(dir.resolve("memory.events"));
        return new CgroupStats(
                required(cpuStat, "usage_usec", cpuStatFile) / 1e6,
                cpuStat.getOrDefault("nr_periods", 0L),
                cpuStat.getOrDefault("nr_throttled", 0L),
                cpuStat.getOrDefault("throttled_usec", 0L) / 1e6,
                usage,
                CgroupStats.workingSet(usage, required(memStat, "inactive_file", memStatFile)),
                required(memStat, "anon", memStatFile),
                required(memStat, "file", memStatFile),
                events.containsKey("oom_kill") ? OptionalLong.of(events.get("oom_kill")) : OptionalLong.empty(),
                limit(single(dir.resolve("memory.max"))),
                cpuMax[0].equals("max") ? 0 : Long.parseLong(cpuMax[0]),
                cpuMax.length > 1 ? Long.parseLong(cpuMax[1]) : 0);
    }
}

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
 * cgroup v1: one hierarchy per controller under the root ({@code cpu}, {@code cpuacct}, {@code memory}; often
 * symlinks to a joint {@code cpu,cpuacct}). The kubelet creates the same path in each, so an id names all three.
 * Memory figures use the {@code total_*} (hierarchical) fields of {@code memory.stat}, as cAdvisor does.
 */
final class CgroupV1Reader implements CgroupReader {

    private final Path cpu;
    private final Path cpuacct;
    private final Path memory;

    CgroupV1Reader(Path root) {
        this.cpu = root.resolve("cpu");
        this.cpuacct = root.resolve("cpuacct");
        this.memory = root.resolve("memory");
    }

    @Override
    public List<String> kubepodsCgroups() throws IOException {
        return CgroupFiles.kubepods(memory);
    }

    @Override
    public CgroupStats read(String id) throws IOException {
        Path cpuDir = dir(cpu, id);
        Path memDir = dir(memory, id);
        Path cpuStatFile = cpuDir.resolve("cpu.stat");
        Map<String, Long> cpuStat = keyed(cpuStatFile);
        Path memStatFile = memDir.resolve("memory.stat");
        Map<String, Long> memStat = keyed(memStatFile);
        long usage = single(memDir.resolve("memory.usage_in_bytes"));
        long quota = single(cpuDir.resolve("cpu.cfs_quota_us"));
        return new CgroupStats(
                single(dir(cpuacct, id).resolve("cpuacct.usage")) / 1e9,
                required(cpuStat, "nr_periods", cpuStatFile),
                required(cpuStat, "nr_throttled", cpuStatFile),
                required(cpuStat, "throttled_time", cpuStatFile) / 1e9,
                usage,
                CgroupStats.workingSet(usage, required(memStat, "total_inactive_file", memStatFile)),
                required(memStat, "total_rss", memStatFile),
                required(memStat, "total_cache", memStatFile),
                oomKills(memDir.resolve("memory.oom_control")),
                limit(single(memDir.resolve("memory.limit_in_bytes"))),
                Math.max(quota, 0),
                single(cpuDir.resolve("cpu.cfs_period_us")));
    }

    /** {@code oom_kill} appeared in {@code memory.oom_control} with Linux 4.13; older kernels have no count. */
    private static OptionalLong oomKills(Path file) throws IOException {
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        Long kills = keyed(file).get("oom_kill");
        return kills == null ? OptionalLong.empty() : OptionalLong.of(kills);
    }
}

package io.vedetta.agent.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Metrics beyond the agent's own: pod state from discovery, kubelet endpoints, node /proc and /sys,
 * cgroups, and how all scrape-time sources are collected and filtered.
 *
 * @param hostRoot where the host's {@code /proc}, {@code /sys} and root filesystem are seen ({@code /host} in the chart)
 * @param node     node_* series from /proc, /sys and statvfs
 * @param cgroup   container_* series read straight from cgroups (off by default: cAdvisor already gives them)
 */
public record MetricsConfig(
        boolean podState,
        boolean jvm,
        Path hostRoot,
        boolean node,
        CgroupConfig cgroup,
        KubeletConfig kubelet,
        MetricFilterConfig filter,
        MetricSourcesConfig sources) {

    /** {@code root} empty means {@code <hostRoot>/sys/fs/cgroup}. */
    public record CgroupConfig(boolean enabled, Optional<Path> root) {
    }

    static MetricsConfig from(ConfigNode n, Map<String, String> env, boolean inCluster) {
        ConfigNode cgroup = n.section("cgroup");
        Path hostRoot = Path.of(n.string("hostRoot", "/"));
        return new MetricsConfig(
                n.bool("podState", true),
                n.bool("jvm", true),
                hostRoot,
                n.section("node").bool("enabled", true),
                new CgroupConfig(cgroup.bool("enabled", false), cgroup.optionalString("root").map(Path::of)),
                KubeletConfig.from(n.section("kubelet"), env, inCluster, hostRoot),
                MetricFilterConfig.from(n.section("filter")),
                MetricSourcesConfig.from(n.section("sources")));
    }
}

package io.vedetta.agent.metrics;

import java.nio.file.Path;

/**
 * Where the host's /proc, /sys and root filesystem are seen from the agent. On a host, all three are the
 * usual paths; in the DaemonSet, {@code metrics.hostRoot: /host} with the chart's mounts {@code /host/proc},
 * {@code /host/sys} and {@code /host/root} (the host's {@code /}, mounted with HostToContainer propagation so
 * that its sub-mounts are visible), the layout node_exporter's chart uses.
 */
public record HostPaths(Path proc, Path sys, Path rootfs) {

    public static HostPaths under(Path hostRoot) {
        Path root = hostRoot.toAbsolutePath().normalize();
        boolean host = root.getParent() == null;
        return new HostPaths(root.resolve("proc"), root.resolve("sys"), host ? root : root.resolve("root"));
    }

    /** The cgroup mount: cgroup v2's unified hierarchy, or the directory of v1's per-controller hierarchies. */
    public Path cgroup() {
        return sys.resolve("fs").resolve("cgroup");
    }
}

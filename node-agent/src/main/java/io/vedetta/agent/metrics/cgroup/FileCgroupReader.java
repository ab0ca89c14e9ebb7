package io.vedetta.agent.metrics.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the cgroup files of this host, choosing the reader by the version mounted at the root. */
public final class FileCgroupReader {

    private FileCgroupReader() {
    }

    /**
     * @param root the cgroup mount ({@code /sys/fs/cgroup}, or {@code /host/sys/fs/cgroup}); a unified (v2) root
     *             has {@code cgroup.controllers}. Hybrid hosts, whose controllers are still v1, read as v1.
     */
    public static CgroupReader open(Path root) {
        return Files.exists(root.resolve("cgroup.controllers")) ? new CgroupV2Reader(root) : new CgroupV1Reader(root);
    }
}

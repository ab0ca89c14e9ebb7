package io.vedetta.agent.metrics.cgroup;

import java.io.IOException;
import java.util.List;

/**
 * The edge between the container source and the kernel's cgroup files. A cgroup is named by its id: its path
 * from the hierarchy root as cAdvisor shows it, e.g. {@code /kubepods/burstable/pod<uid>/<container id>}.
 */
public interface CgroupReader {

    /**
     * The ids of every cgroup below the kubepods cgroup (QoS classes, pods, containers), sorted; empty when this
     * node has no kubepods cgroup. A cgroup removed while listing is left out.
     */
    List<String> kubepodsCgroups() throws IOException;

    /** The counters of one cgroup; throws when a file it needs is missing or unreadable. */
    CgroupStats read(String id) throws IOException;
}

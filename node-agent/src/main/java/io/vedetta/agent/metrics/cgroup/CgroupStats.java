package io.vedetta.agent.metrics.cgroup;

import java.util.OptionalLong;

/**
 * One cgroup's counters in cAdvisor's terms, whatever the cgroup version. Limits follow cAdvisor: an unlimited
 * memory limit is 0, an unset CPU quota is 0 (and then no quota or CFS series are exposed).
 */
public record CgroupStats(
        double cpuUsageSeconds,
        long cfsPeriods,
        long cfsThrottledPeriods,
        double cfsThrottledSeconds,
        long memoryUsageBytes,
        long memoryWorkingSetBytes,
        long memoryRssBytes,
        long memoryCacheBytes,
        OptionalLong oomKills,
        long memoryLimitBytes,
        long cpuQuota,
        long cpuPeriod) {

    /** cAdvisor reports limits above 2^62 (the kernel's "no limit" page-rounded maximum) as 0. */
    static final long UNLIMITED_ABOVE = 1L << 62;

    /** cAdvisor's working set: usage minus inactive file pages, never below zero. */
    static long workingSet(long usage, long inactiveFile) {
        return inactiveFile < usage ? usage - inactiveFile : 0;
    }
}

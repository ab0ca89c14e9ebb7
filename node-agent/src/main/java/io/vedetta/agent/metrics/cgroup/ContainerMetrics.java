package io.vedetta.agent.metrics.cgroup;

import static io.vedetta.agent.metrics.MetricName.counter;
import static io.vedetta.agent.metrics.MetricName.gauge;

import io.vedetta.agent.metrics.MetricName;
import java.util.List;

/**
 * Catalogue of the container series read straight from cgroups, named, typed and described as the kubelet's
 * cAdvisor exposes them ({@code /metrics/cadvisor}), so kubernetes-mixin queries work on either source.
 */
public final class ContainerMetrics {

    /**
     * cAdvisor's labels for a container (or, with {@code container}, {@code image} and {@code name} empty, a pod)
     * cgroup; {@code name} is the runtime's name of the container ({@link CgroupSource#cadvisorName}).
     */
    private static final String[] LABELS = {"container", "id", "image", "name", "namespace", "pod"};

    public static final MetricName CPU_USAGE_SECONDS = counter("container_cpu_usage_seconds_total",
            "Cumulative cpu time consumed in seconds.", "seconds",
            "container", "cpu", "id", "image", "name", "namespace", "pod");
    public static final MetricName CPU_CFS_PERIODS = counter("container_cpu_cfs_periods_total",
            "Number of elapsed enforcement period intervals.", "", LABELS);
    public static final MetricName CPU_CFS_THROTTLED_PERIODS = counter("container_cpu_cfs_throttled_periods_total",
            "Number of throttled period intervals.", "", LABELS);
    public static final MetricName CPU_CFS_THROTTLED_SECONDS = counter("container_cpu_cfs_throttled_seconds_total",
            "Total time duration the container has been throttled.", "seconds", LABELS);
    public static final MetricName MEMORY_USAGE = gauge("container_memory_usage_bytes",
            "Current memory usage in bytes, including all memory regardless of when it was accessed", "bytes", LABELS);
    public static final MetricName MEMORY_WORKING_SET = gauge("container_memory_working_set_bytes",
            "Current working set in bytes.", "bytes", LABELS);
    public static final MetricName MEMORY_RSS = gauge("container_memory_rss",
            "Size of RSS in bytes.", "bytes", LABELS);
    public static final MetricName MEMORY_CACHE = gauge("container_memory_cache",
            "Number of bytes of page cache memory.", "bytes", LABELS);
    public static final MetricName OOM_EVENTS = counter("container_oom_events_total",
            "Count of out of memory events observed for the container", "", LABELS);
    public static final MetricName SPEC_MEMORY_LIMIT = gauge("container_spec_memory_limit_bytes",
            "Memory limit for the container.", "bytes", LABELS);
    public static final MetricName SPEC_CPU_QUOTA = gauge("container_spec_cpu_quota",
            "CPU quota of the container.", "", LABELS);
    public static final MetricName SPEC_CPU_PERIOD = gauge("container_spec_cpu_period",
            "CPU period of the container.", "", LABELS);

    /** The agent's own count of cgroups left out of a scrape, by reason. */
    public static final MetricName CGROUPS_DROPPED = counter("vedetta_cgroup_dropped_total",
            "Kubepods cgroups left out of a scrape: pod_not_found (no pod with that UID in the discovery cache), "
                    + "container_not_found (a container of a known pod that is not in its status, such as the "
                    + "sandbox), unreadable (its files could not be read).", "", "reason");

    public static final List<MetricName> ALL = List.of(CPU_USAGE_SECONDS, CPU_CFS_PERIODS, CPU_CFS_THROTTLED_PERIODS,
            CPU_CFS_THROTTLED_SECONDS, MEMORY_USAGE, MEMORY_WORKING_SET, MEMORY_RSS, MEMORY_CACHE, OOM_EVENTS,
            SPEC_MEMORY_LIMIT, SPEC_CPU_QUOTA, SPEC_CPU_PERIOD, CGROUPS_DROPPED);

    private ContainerMetrics() {
    }
}

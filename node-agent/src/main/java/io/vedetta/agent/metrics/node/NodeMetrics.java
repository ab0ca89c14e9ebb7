package io.vedetta.agent.metrics.node;

import static io.vedetta.agent.metrics.MetricName.counter;
import static io.vedetta.agent.metrics.MetricName.gauge;

import io.vedetta.agent.metrics.MetricName;
import java.util.List;

/**
 * Catalogue of the node series, named, typed, labelled and described exactly as node_exporter 1.5 exposes
 * them, so node-mixin and kubernetes-mixin dashboards and alerts work unchanged.
 */
public final class NodeMetrics {

    private static final String[] FS = {"device", "fstype", "mountpoint"};

    public static final MetricName CPU_SECONDS = counter("node_cpu_seconds_total",
            "Seconds the CPUs spent in each mode.", "seconds", "cpu", "mode");

    public static final MetricName MEMORY_MEM_TOTAL = memory("MemTotal");
    public static final MetricName MEMORY_MEM_FREE = memory("MemFree");
    public static final MetricName MEMORY_MEM_AVAILABLE = memory("MemAvailable");
    public static final MetricName MEMORY_BUFFERS = memory("Buffers");
    public static final MetricName MEMORY_CACHED = memory("Cached");
    public static final MetricName MEMORY_SWAP_TOTAL = memory("SwapTotal");
    public static final MetricName MEMORY_SWAP_FREE = memory("SwapFree");
    public static final MetricName MEMORY_SLAB = memory("Slab");

    public static final MetricName LOAD1 = gauge("node_load1", "1m load average.", "");
    public static final MetricName LOAD5 = gauge("node_load5", "5m load average.", "");
    public static final MetricName LOAD15 = gauge("node_load15", "15m load average.", "");

    public static final MetricName FILESYSTEM_SIZE = gauge("node_filesystem_size_bytes",
            "Filesystem size in bytes.", "bytes", FS);
    public static final MetricName FILESYSTEM_FREE = gauge("node_filesystem_free_bytes",
            "Filesystem free space in bytes.", "bytes", FS);
    public static final MetricName FILESYSTEM_AVAIL = gauge("node_filesystem_avail_bytes",
            "Filesystem space available to non-root users in bytes.", "bytes", FS);
    public static final MetricName FILESYSTEM_FILES = gauge("node_filesystem_files",
            "Filesystem total file nodes.", "", FS);
    public static final MetricName FILESYSTEM_FILES_FREE = gauge("node_filesystem_files_free",
            "Filesystem total free file nodes.", "", FS);
    /** 1 when the mount options include {@code ro}. */
    public static final MetricName FILESYSTEM_READONLY = gauge("node_filesystem_readonly",
            "Filesystem read-only status.", "", FS);
    /** 1 when statvfs failed or did not return in time; the space and inode series are then absent. */
    public static final MetricName FILESYSTEM_DEVICE_ERROR = gauge("node_filesystem_device_error",
            "Whether an error occurred while getting statistics for the given device.", "", FS);

    public static final MetricName NETWORK_RECEIVE_BYTES = network("receive_bytes");
    public static final MetricName NETWORK_TRANSMIT_BYTES = network("transmit_bytes");
    public static final MetricName NETWORK_RECEIVE_ERRS = network("receive_errs");
    public static final MetricName NETWORK_TRANSMIT_ERRS = network("transmit_errs");
    public static final MetricName NETWORK_RECEIVE_DROP = network("receive_drop");
    public static final MetricName NETWORK_TRANSMIT_DROP = network("transmit_drop");
    public static final MetricName NETWORK_RECEIVE_PACKETS = network("receive_packets");
    public static final MetricName NETWORK_TRANSMIT_PACKETS = network("transmit_packets");

    public static final MetricName DISK_READ_BYTES = counter("node_disk_read_bytes_total",
            "The total number of bytes read successfully.", "bytes", "device");
    public static final MetricName DISK_WRITTEN_BYTES = counter("node_disk_written_bytes_total",
            "The total number of bytes written successfully.", "bytes", "device");
    public static final MetricName DISK_IO_TIME = counter("node_disk_io_time_seconds_total",
            "Total seconds spent doing I/Os.", "seconds", "device");
    public static final MetricName DISK_IO_TIME_WEIGHTED = counter("node_disk_io_time_weighted_seconds_total",
            "The weighted # of seconds spent doing I/Os.", "seconds", "device");

    /** node_exporter's default {@code /proc/vmstat} fields ({@code ^(oom_kill|pgpg|pswp|pg.*fault).*}). */
    public static final MetricName VMSTAT_PGPGIN = vmstat("pgpgin");
    public static final MetricName VMSTAT_PGPGOUT = vmstat("pgpgout");
    public static final MetricName VMSTAT_PSWPIN = vmstat("pswpin");
    public static final MetricName VMSTAT_PSWPOUT = vmstat("pswpout");
    public static final MetricName VMSTAT_PGFAULT = vmstat("pgfault");
    public static final MetricName VMSTAT_PGMAJFAULT = vmstat("pgmajfault");
    public static final MetricName VMSTAT_OOM_KILL = vmstat("oom_kill");

    public static final MetricName FILEFD_ALLOCATED = gauge("node_filefd_allocated",
            "File descriptor statistics: allocated.", "");
    public static final MetricName FILEFD_MAXIMUM = gauge("node_filefd_maximum",
            "File descriptor statistics: maximum.", "");

    public static final MetricName CONNTRACK_ENTRIES = gauge("node_nf_conntrack_entries",
            "Number of currently allocated flow entries for connection tracking.", "");
    public static final MetricName CONNTRACK_ENTRIES_LIMIT = gauge("node_nf_conntrack_entries_limit",
            "Maximum size of connection tracking table.", "");

    public static final MetricName TIMEX_OFFSET = gauge("node_timex_offset_seconds",
            "Time offset in between local system and reference clock.", "seconds");
    public static final MetricName TIMEX_SYNC_STATUS = gauge("node_timex_sync_status",
            "Is clock synchronized to a reliable server (1 = yes, 0 = no).", "");
    public static final MetricName TIMEX_MAXERROR = gauge("node_timex_maxerror_seconds",
            "Maximum error in seconds.", "seconds");
    public static final MetricName TIMEX_ESTIMATED_ERROR = gauge("node_timex_estimated_error_seconds",
            "Estimated error in seconds.", "seconds");

    public static final MetricName MD_DISKS = gauge("node_md_disks",
            "Number of active/failed/spare disks of device.", "", "device", "state");
    public static final MetricName MD_DISKS_REQUIRED = gauge("node_md_disks_required",
            "Total number of disks of device.", "", "device");

    public static final MetricName BONDING_SLAVES = gauge("node_bonding_slaves",
            "Number of configured slaves per bonding interface.", "", "master");
    public static final MetricName BONDING_ACTIVE = gauge("node_bonding_active",
            "Number of active slaves per bonding interface.", "", "master");

    public static final MetricName BOOT_TIME = gauge("node_boot_time_seconds",
            "Node boot time, in unixtime.", "seconds");

    public static final MetricName UNAME = new MetricName("node_uname_info", MetricName.Type.INFO,
            "Labeled system information as provided by the uname system call.", "",
            List.of("sysname", "release", "version", "machine", "nodename", "domainname"));

    public static final MetricName PRESSURE_CPU_WAITING = counter("node_pressure_cpu_waiting_seconds_total",
            "Total time in seconds that processes have waited for CPU time", "seconds");
    public static final MetricName PRESSURE_MEMORY_WAITING = counter("node_pressure_memory_waiting_seconds_total",
            "Total time in seconds that processes have waited for memory", "seconds");
    public static final MetricName PRESSURE_MEMORY_STALLED = counter("node_pressure_memory_stalled_seconds_total",
            "Total time in seconds no process could make progress due to memory congestion", "seconds");
    public static final MetricName PRESSURE_IO_WAITING = counter("node_pressure_io_waiting_seconds_total",
            "Total time in seconds that processes have waited due to IO congestion", "seconds");
    public static final MetricName PRESSURE_IO_STALLED = counter("node_pressure_io_stalled_seconds_total",
            "Total time in seconds no process could make progress due to IO congestion", "seconds");

    /** The agent's own count of node readers (cpu, meminfo, filesystem, ...) that failed, by reader. */
    public static final MetricName COLLECTOR_ERRORS = counter("vedetta_node_collector_errors_total",
            "Node metric reads that failed and were skipped (a file or a mount point), by reader.", "",
            "collector");

    public static final List<MetricName> ALL = List.of(CPU_SECONDS,
            MEMORY_MEM_TOTAL, MEMORY_MEM_FREE, MEMORY_MEM_AVAILABLE, MEMORY_BUFFERS, MEMORY_CACHED,
            MEMORY_SWAP_TOTAL, MEMORY_SWAP_FREE, MEMORY_SLAB, LOAD1, LOAD5, LOAD15,
            FILESYSTEM_SIZE, FILESYSTEM_FREE, FILESYSTEM_AVAIL, FILESYSTEM_FILES, FILESYSTEM_FILES_FREE,
            FILESYSTEM_READONLY, FILESYSTEM_DEVICE_ERROR,
            NETWORK_RECEIVE_BYTES, NETWORK_TRANSMIT_BYTES, NETWORK_RECEIVE_ERRS, NETWORK_TRANSMIT_ERRS,
            NETWORK_RECEIVE_DROP, NETWORK_TRANSMIT_DROP, NETWORK_RECEIVE_PACKETS, NETWORK_TRANSMIT_PACKETS,
            DISK_READ_BYTES, DISK_WRITTEN_BYTES, DISK_IO_TIME, DISK_IO_TIME_WEIGHTED,
            VMSTAT_PGPGIN, VMSTAT_PGPGOUT, VMSTAT_PSWPIN, VMSTAT_PSWPOUT, VMSTAT_PGFAULT, VMSTAT_PGMAJFAULT,
            VMSTAT_OOM_KILL, FILEFD_ALLOCATED, FILEFD_MAXIMUM, CONNTRACK_ENTRIES, CONNTRACK_ENTRIES_LIMIT,
            TIMEX_OFFSET, TIMEX_SYNC_STATUS, TIMEX_MAXERROR, TIMEX_ESTIMATED_ERROR, MD_DISKS, MD_DISKS_REQUIRED,
            BONDING_SLAVES, BONDING_ACTIVE,
            BOOT_TIME, UNAME, PRESSURE_CPU_WAITING, PRESSURE_MEMORY_WAITING, PRESSURE_MEMORY_STALLED,
            PRESSURE_IO_WAITING, PRESSURE_IO_STALLED, COLLECTOR_ERRORS);

    private NodeMetrics() {
    }

    private static MetricName memory(String field) {
        return gauge("node_memory_" + field + "_bytes", "Memory information field " + field + "_bytes.", "bytes");
    }

    private static MetricName vmstat(String field) {
        return MetricName.untyped("node_vmstat_" + field, "/proc/vmstat information field " + field + ".", "");
    }

    private static MetricName network(String stat) {
        return counter("node_network_" + stat + "_total", "Network device statistic " + stat + ".", "", "device");
    }
}

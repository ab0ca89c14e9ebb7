package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Space and inodes of each mounted filesystem, as node_exporter's filesystem collector: mounts from
 * {@code /proc/1/mounts} (the host's mount namespace when the host's /proc is mounted; {@code /proc/self/mounts}
 * when that is unreadable), its default mount point and filesystem type exclusions, one series per distinct
 * device, type and mount point, and statvfs on the mount point under the host root. As there,
 * {@code node_filesystem_readonly} comes from the mount options ({@code ro} among them, not merely in one such as
 * {@code errors=remount-ro}) and a mount point whose statvfs fails or hangs has {@code node_filesystem_device_error}
 * 1 and no space or inode series.
 *
 * <p>statvfs on a hung network mount blocks forever, so each call runs on its own daemon thread and is given up
 * after a timeout (node_exporter's {@code --collector.filesystem.mount-timeout}, 5 s); the mount point is then
 * skipped, and counted, until that call returns, instead of tying up one more thread every scrape. The calls of
 * one scrape run at once and share the timeout: one after the other, each was a thread to wake and wait for in
 * turn (a node has a mount point per secret and service-account volume of each of its pods).
 */
final class FilesystemReader implements NodeReader {

    static final Pattern DEFAULT_MOUNT_POINTS_EXCLUDE =
            Pattern.compile("^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)");
    static final Pattern DEFAULT_FS_TYPES_EXCLUDE = Pattern.compile("^(autofs|binfmt_misc|bpf|cgroup2?|configfs|"
            + "debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|"
            + "securityfs|selinuxfs|squashfs|sysfs|tracefs)$");

    static final Duration DEFAULT_STAT_TIMEOUT = Duration.ofSeconds(5);

    private static final ExecutorService STATTERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vedetta-statvfs");
        t.setDaemon(true);
        return t;
    });

    private final Path procRoot;
    private final Path rootfs;
    private final FilesystemStats stats;
    private final Duration statTimeout;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    FilesystemReader(Path procRoot, Path rootfs, FilesystemStats stats, Duration statTimeout) {
        this.procRoot = procRoot;
        this.rootfs = rootfs;
        this.stats = stats;
        this.statTimeout = statTimeout;
    }

    @Override
    public String name() {
        return "filesystem";
    }

    /** One line of the mount table, as node_exporter labels its series. */
    private record Mount(String device, String fsType, String mountPoint) {
    }

    /** The statvfs of one mount (null when skipped, and reported), and whether it is mounted read-only. */
    private record Call(Future<FilesystemStats.Usage> usage, boolean readOnly) {
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        // In the mount table's order; a mount listed twice is stat'ed once. A null call: skipped (and reported).
        Map<Mount, Call> calls = new LinkedHashMap<>();
        for (String line : mounts()) {
            String[] f = KernelFiles.fields(line);
            if (f.length < 3) {
                continue;
            }
            Mount mount = new Mount(unescape(f[0]), f[2], unescape(f[1]));
            if (DEFAULT_MOUNT_POINTS_EXCLUDE.matcher(mount.mountPoint()).find()
                    || DEFAULT_FS_TYPES_EXCLUDE.matcher(mount.fsType()).find() || calls.containsKey(mount)) {
                continue;
            }
            boolean readOnly = f.length > 3 && Arrays.asList(f[3].split(",")).contains("ro");
            calls.put(mount, new Call(startStat(mount.mountPoint(), skipped), readOnly));
        }
        long deadline = System.nanoTime() + statTimeout.toNanos();
        for (Map.Entry<Mount, Call> call : calls.entrySet()) {
            String device = call.getKey().device();
            String fsType = call.getKey().fsType();
            String mountPoint = call.getKey().mountPoint();
            FilesystemStats.Usage usage = call.getValue().usage() == null ? null
                    : await(call.getValue().usage(), mountPoint, deadline, skipped);
            out.add(NodeMetrics.FILESYSTEM_READONLY, call.getValue().readOnly() ? 1 : 0, device, fsType, mountPoint);
            out.add(NodeMetrics.FILESYSTEM_DEVICE_ERROR, usage == null ? 1 : 0, device, fsType, mountPoint);
            if (usage == null) {
                continue;
            }
            out.add(NodeMetrics.FILESYSTEM_SIZE, usage.sizeBytes(), device, fsType, mountPoint);
            out.add(NodeMetrics.FILESYSTEM_FREE, usage.freeBytes(), device, fsType, mountPoint);
            out.add(NodeMetrics.FILESYSTEM_AVAIL, usage.availBytes(), device, fsType, mountPoint);
            usage.files().ifPresent(n -> out.add(NodeMetrics.FILESYSTEM_FILES, n, device, fsType, mountPoint));
            usage.filesFree().ifPresent(n -> out.add(NodeMetrics.FILESYSTEM_FILES_FREE, n, device, fsType, mountPoint));
        }
    }

    /** Starts statvfs of one mount point, or returns null when it is skipped (and reported). */
    private Future<FilesystemStats.Usage> startStat(String mountPoint, Skipped skipped) {
        if (!inFlight.add(mountPoint)) {
            skipped.skip(mountPoint, "an earlier statvfs has not returned yet (hung mount?); skipped until it does");
            return null;
        }
        Path path = rootfs.resolve(mountPoint.substring(1));
        return STATTERS.submit(() -> {
            try {
                return stats.stat(path);
            } finally {
                inFlight.remove(mountPoint);
            }
        });
    }

    /** The usage of one mount point, or null when its statvfs failed or was given up (and reported). */
    private FilesystemStats.Usage await(Future<FilesystemStats.Usage> call, String mountPoint, long deadline,
            Skipped skipped) {
        try {
            return call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            skipped.skip(mountPoint, "statvfs did not return within " + statTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            skipped.skip(mountPoint, String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            skipped.skip(mountPoint, "interrupted while waiting for statvfs");
        }
        return null;
    }

    private List<String> mounts() throws IOException {
        try {
            return KernelFiles.lines(procRoot.resolve("1").resolve("mounts"));
        } catch (NoSuchFileException | AccessDeniedException e) {
            return KernelFiles.lines(procRoot.resolve("self").resolve("mounts"));
        }
    }

    /** The kernel writes space, tab, newline and backslash in mount fields as octal escapes. */
    static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}

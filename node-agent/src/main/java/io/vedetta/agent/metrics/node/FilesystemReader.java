package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Space and inodes of each mounted filesystem, as node_exporter's filesystem collector: mounts from
 * {@code /proc/1/mounts} (the host's mount namespace when the host's /proc is mounted; {@code /proc/self/mounts}
 * when that is unreadable), its default mount point and filesystem type exclusions, one series per distinct
 * device, type and mount point, and statvfs on the mount point under the host root.
 */
final class FilesystemReader implements NodeReader {

    static final Pattern DEFAULT_MOUNT_POINTS_EXCLUDE =
            Pattern.compile("^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)");
    static final Pattern DEFAULT_FS_TYPES_EXCLUDE = Pattern.compile("^(autofs|binfmt_misc|bpf|cgroup2?|configfs|"
            + "debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|"
            + "securityfs|selinuxfs|squashfs|sysfs|tracefs)$");

    private final Path procRoot;
    private final Path rootfs;
    private final FilesystemStats stats;

    FilesystemReader(Path procRoot, Path rootfs, FilesystemStats stats) {
        this.procRoot = procRoot;
        this.rootfs = rootfs;
        this.stats = stats;
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        Set<List<String>> seen = new HashSet<>();
        for (String line : mounts()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            String device = unescape(f[0]);
            String mountPoint = unescape(f[1]);
            String fsType = f[2];
            if (DEFAULT_MOUNT_POINTS_EXCLUDE.matcher(mountPoint).find()
                    || DEFAULT_FS_TYPES_EXCLUDE.matcher(fsType).find()
                    || !seen.add(List.of(device, fsType, mountPoint))) {
                continue;
            }
            FilesystemStats.Usage usage;
            try {
                usage = stats.stat(rootfs.resolve(mountPoint.substring(1)));
            } catch (IOException e) {
                skipped.skip(mountPoint, e.getMessage());
                continue;
            }
            out.add(NodeMetrics.FILESYSTEM_SIZE, usage.sizeBytes(), device, fsType, mountPoint);
            out.add(NodeMetrics.FILESYSTEM_FREE, usage.freeBytes(), device, fsType, mountPoint);
            out.add(NodeMetrics.FILESYSTEM_AVAIL, usage.availBytes(), device, fsType, mountPoint);
            usage.files().ifPresent(n -> out.add(NodeMetrics.FILESYSTEM_FILES, n, device, fsType, mountPoint));
            usage.filesFree().ifPresent(n -> out.add(NodeMetrics.FILESYSTEM_FILES_FREE, n, device, fsType, mountPoint));
        }
    }

    private List<String> mounts() throws IOException {
        try {
            return Files.readAllLines(procRoot.resolve("1").resolve("mounts"));
        } catch (NoSuchFileException | AccessDeniedException e) {
            return Files.readAllLines(procRoot.resolve("self").resolve("mounts"));
        }
    }

    /** The kernel writes space, tab, newline and backslash in mount fields as octal escapes. */
    static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}

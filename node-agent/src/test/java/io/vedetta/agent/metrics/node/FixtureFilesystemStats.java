package io.vedetta.agent.metrics.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** statvfs answers captured in a tab-separated fixture file, keyed by mount point under a host root. */
final class FixtureFilesystemStats implements FilesystemStats {

    private final Path rootfs;
    private final Map<String, Usage> byMountPoint = new HashMap<>();

    FixtureFilesystemStats(Path rootfs, Path table) throws IOException {
        this.rootfs = rootfs;
        for (String line : Files.readAllLines(table)) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            long bsize = Long.parseLong(f[1]);
            byMountPoint.put(f[0], new Usage(Long.parseLong(f[2]) * bsize, Long.parseLong(f[3]) * bsize,
                    Long.parseLong(f[4]) * bsize, OptionalLong.of(Long.parseLong(f[5])),
                    OptionalLong.of(Long.parseLong(f[6]))));
        }
    }

    @Override
    public Usage stat(Path path) throws IOException {
        Usage usage = byMountPoint.get("/" + rootfs.relativize(path));
        if (usage == null) {
            throw new IOException("statvfs " + path + ": Permission denied");
        }
        return usage;
    }
}

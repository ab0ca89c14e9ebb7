package io.vedetta.agent.metrics.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Space and inode counts of the filesystem holding a path: the edge between the filesystem reader and the OS.
 * Java's {@code FileStore} gives the three byte counts but no inode counts (it recognises no {@code unix:*}
 * attribute), so the preferred implementation calls statvfs(3) through JNA; where JNA cannot load (no writable
 * temp directory for its native stub, an unusual architecture) the bytes still come from {@code FileStore}.
 */
public interface FilesystemStats {

    Usage stat(Path path) throws IOException;

    /** What node_exporter reports: blocks times the block size, and inode counts when known. */
    record Usage(long sizeBytes, long freeBytes, long availBytes, OptionalLong files, OptionalLong filesFree) {
    }

    /** statvfs(3) when this platform allows it, otherwise {@code FileStore} without inode counts (logged once). */
    public static FilesystemStats forThisPlatform() {
        Logger log = LoggerFactory.getLogger(FilesystemStats.class);
        try {
            return StatvfsStats.load();
        } catch (LinkageError | RuntimeException e) {
            log.warn("statvfs(3) through JNA is unavailable ({}); node_filesystem_files and "
                    + "node_filesystem_files_free will be missing, byte counts come from java.nio FileStore", e.toString());
            return new FileStoreStats();
        }
    }
}

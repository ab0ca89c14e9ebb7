package io.vedetta.agent.metrics.node;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Byte counts from {@code java.nio.file.FileStore}; the JDK offers no inode counts, so those stay empty. */
final class FileStoreStats implements FilesystemStats {

    @Override
    public Usage stat(Path path) throws IOException {
        FileStore store = Files.getFileStore(path);
        return new Usage(store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace(),
                OptionalLong.empty(), OptionalLong.empty());
    }
}

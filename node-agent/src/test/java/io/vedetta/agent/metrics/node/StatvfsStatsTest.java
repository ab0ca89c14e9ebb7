package io.vedetta.agent.metrics.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatvfsStatsTest {

    @Test
    void sixtyFourBitLinuxGetsInodeCountsThroughStatvfs(@TempDir Path dir) throws IOException {
        FilesystemStats stats = FilesystemStats.forThisPlatform();
        assertInstanceOf(StatvfsStats.class, stats);

        FilesystemStats.Usage usage = stats.stat(dir);
        FileStore store = Files.getFileStore(dir);

        assertEquals(store.getTotalSpace(), usage.sizeBytes());
        assertTrue(usage.files().orElseThrow() >= usage.filesFree().orElseThrow());
        assertTrue(usage.availBytes() <= usage.freeBytes() && usage.freeBytes() <= usage.sizeBytes());
    }

    @Test
    void missingPathFailsWithTheErrno(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> FilesystemStats.forThisPlatform().stat(dir.resolve("gone")));

        assertTrue(e.getMessage().contains("errno 2"), e.getMessage());
    }

    @Test
    void fileStoreFallbackHasBytesButNoInodes(@TempDir Path dir) throws IOException {
        FilesystemStats.Usage usage = new FileStoreStats().stat(dir);

        assertTrue(usage.sizeBytes() > 0);
        assertTrue(usage.files().isEmpty() && usage.filesFree().isEmpty());
    }
}

package io.vedetta.logs.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionStoreTest {

    private static final FileState STATE = new FileState(2049, 1311234, 1024, -3750763034362895579L, 52113, 64,
            1234567890123L, "/var/log/containers/web-1_default_app-0123abcd.log", 1795564800000L);

    @TempDir
    Path dir;

    @Test
    void stateFileIsWrittenAtomicallyAndVersioned() throws Exception {
        PositionStore store = new PositionStore(dir);
        List<FileState> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(new FileState(2049, i, 1024, i * 31L, i * 1000L, 64, i, "/var/log/containers/f" + i + ".log", 0));
        }
        store.save(many);

        // A reader racing the writer must only ever see complete documents, old or new.
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger torn = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            ObjectMapper json = new ObjectMapper();
            while (writing.get()) {
                try {
                    JsonNode root = json.readTree(store.file().toFile());
                    if (root.path("files").size() != 300) {
                        torn.incrementAndGet();
                    }
                } catch (IOException e) {
                    torn.incrementAndGet();
                }
                reads.incrementAndGet();
            }
        });
        reader.start();
        for (int i = 0; i < 200; i++) {
            store.save(many);
        }
        writing.set(false);
        reader.join();

        assertTrue(reads.get() > 0);
        assertEquals(0, torn.get(), "torn reads out of " + reads.get());
        JsonNode root = new ObjectMapper().readTree(store.file().toFile());
        assertEquals(PositionStore.VERSION, root.path("version").asInt());
        assertFalse(Files.exists(dir.resolve(PositionStore.FILE_NAME + ".tmp")), "no temporary file left behind");
        assertEquals(many, store.load().orElseThrow());
    }

    @Test
    void writesTheDocumentedFormat() throws Exception {
        PositionStore store = new PositionStore(dir);
        store.save(List.of(STATE));

        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(golden()), json.readTree(store.file().toFile()));
    }

    @Test
    void readsFilesWrittenInVersionOne() throws Exception {
        Files.write(dir.resolve(PositionStore.FILE_NAME), golden());

        assertEquals(List.of(STATE), new PositionStore(dir).load().orElseThrow());
    }

    @Test
    void reportsNoStateOnTheVeryFirstStart() throws Exception {
        assertTrue(new PositionStore(dir.resolve("not/yet/there")).load().isEmpty());
    }

    @Test
    void refusesAnUnknownVersionOrGarbage() throws Exception {
        PositionStore store = new PositionStore(dir);
        Files.writeString(store.file(), "{\"version\": 2, \"files\": []}");
        assertThrows(PositionStore.UnreadableStateException.class, store::load);
        Files.writeString(store.file(), "{\"version\": 1, \"fil");
        assertThrows(PositionStore.UnreadableStateException.class, store::load);
    }

    private static byte[] golden() throws IOException {
        try (var in = PositionStoreTest.class.getResourceAsStream("/positions/positions-v1.json")) {
            return in.readAllBytes();
        }
    }
}

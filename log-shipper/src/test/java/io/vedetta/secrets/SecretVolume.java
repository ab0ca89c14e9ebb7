package io.vedetta.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory laid out and updated as the kubelet does a Secret volume: each key a symlink through {@code ..data},
 * which points at a timestamped directory and is swapped atomically to a new one when the Secret changes.
 */
public final class SecretVolume {

    private final Path dir;
    private final AtomicInteger generation = new AtomicInteger();

    public SecretVolume(Path dir, Map<String, String> keys) throws IOException {
        this.dir = Files.createDirectories(dir);
        update(keys);
        for (String key : keys.keySet()) {
            Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
        }
    }

    public Path file(String key) {
        return dir.resolve(key);
    }

    /** Writes every key into a new directory and swaps {@code ..data} to it in one rename. */
    public void update(Map<String, String> keys) throws IOException {
        String name = "..2026_12_07_00_00_0" + generation.incrementAndGet();
        Path data = Files.createDirectory(dir.resolve(name));
        for (Map.Entry<String, String> key : keys.entrySet()) {
            Files.writeString(data.resolve(key.getKey()), key.getValue(), StandardCharsets.UTF_8);
        }
        Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of(name));
        Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

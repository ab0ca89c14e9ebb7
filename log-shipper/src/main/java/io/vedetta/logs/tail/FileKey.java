package io.vedetta.logs.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Device and inode of a file, read through symlinks: the part of a file's identity the kernel gives us. */
public record FileKey(long dev, long ino) {

    public static FileKey of(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino");
        return new FileKey(((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue());
    }

    @Override
    public String toString() {
        return dev + ":" + ino;
    }
}

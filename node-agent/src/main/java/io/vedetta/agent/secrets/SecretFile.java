package io.vedetta.agent.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

/**
 * A secret read from a file and re-read when it changes: the kubelet's bearer token, remote_write credentials.
 * Projected service-account tokens and mounted Secrets are rotated by the kubelet (a new file behind the
 * {@code ..data} symlink), so the file's modification time is checked on every use and the file is re-read at least
 * every {@code maxAge} as well. The secret is never logged; surrounding white space is dropped.
 */
public final class SecretFile {

    private final Path file;
    private final Duration maxAge;
    private String token;
    private FileTime modified;
    private long readAtNanos;

    public SecretFile(Path file, Duration maxAge) {
        this.file = file;
        this.maxAge = maxAge;
    }

    public Path file() {
        return file;
    }

    public synchronized String get() throws IOException {
        FileTime now = Files.getLastModifiedTime(file);
        if (token == null || !now.equals(modified) || System.nanoTime() - readAtNanos > maxAge.toNanos()) {
            String read = Files.readString(file).trim();
            if (read.isEmpty()) {
                throw new IOException(file + " is empty");
            }
            token = read;
            modified = now;
            readAtNanos = System.nanoTime();
        }
        return token;
    }
}

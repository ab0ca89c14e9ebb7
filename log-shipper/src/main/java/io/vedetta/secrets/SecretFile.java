package io.vedetta.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

/**
 * A secret kept in a file (a mounted Kubernetes Secret key, a Vault agent file) and read again when the file
 * changes, so a rotated Secret is picked up without a restart. Kubernetes replaces a Secret volume's files by
 * swapping a symlink, which changes what the path resolves to: its modification time, size and inode are looked at
 * at most once a second ({@link FileVersion}). {@link #reload()} reads the file whatever they say, for when the server
 * has just refused the value. A re-read that fails keeps the last good value and is reported to {@link Rereads}. The
 * value is never logged, nor put in an exception.
 */
public final class SecretFile {

    private final Path file;
    private final String setting;
    private final Rereads rereads;
    private final FileVersion version;
    private String value;

    /** Reads {@code file} now: a secret that cannot be read at start is an error naming {@code setting}. */
    public SecretFile(Path file, String setting, Rereads rereads) throws IOException {
        this.file = file;
        this.setting = setting;
        this.rereads = rereads;
        this.version = new FileVersion(file, setting);
        this.value = read();
    }

    public Path file() {
        return file;
    }

    /** The current value, read again first when the file changed since the last look. */
    public synchronized String value() {
        try {
            if (version.changed()) {
                refresh("changed on disk");
            }
        } catch (IOException e) {
            version.forget();
            rereads.failed(setting, file, e);
        }
        return value;
    }

    /** Reads the file whatever its attributes say; returns whether the value changed. */
    public synchronized boolean reload() {
        try {
            version.changed();
            return refresh("refused by the server");
        } catch (IOException e) {
            rereads.failed(setting, file, e);
            return false;
        }
    }

    private boolean refresh(String trigger) throws IOException {
        String read = read();
        if (read.equals(value)) {
            return false;
        }
        value = read;
        rereads.changed(setting, file, trigger);
        return true;
    }

    private String read() throws IOException {
        String read;
        try {
            read = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // The message names the file only: the exception types of the JDK never hold file content.
            throw new IOException(setting + ": cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
        if (read.isEmpty()) {
            throw new IOException(setting + ": " + file + " is empty");
        }
        return read;
    }

    /**
     * What changes when a file is replaced or rewritten (modification time, size, identity), looked at no more than
     * once a second.
     */
    static final class FileVersion {
        static final long CHECK_NANOS = 1_000_000_000L;

        private final Path file;
        private final String setting;
        private Object seen;
        private long checkedAt;

        FileVersion(Path file, String setting) throws IOException {
            this.file = file;
            this.setting = setting;
            this.seen = attributes();
            this.checkedAt = System.nanoTime();
        }

        /** Makes the next look (after the usual pause) report a change, so a failed read is tried again. */
        synchronized void forget() {
            seen = null;
        }

        /** Whether the file changed since the last call that said so (or since it was made). */
        synchronized boolean changed() throws IOException {
            long now = System.nanoTime();
            if (now - checkedAt < CHECK_NANOS) {
                return false;
            }
            checkedAt = now;
            Object current = attributes();
            if (Objects.equals(current, seen)) {
                return false;
            }
            seen = current;
            return true;
        }

        private Object attributes() throws IOException {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
            } catch (NoSuchFileException e) {
                throw new IOException(setting + ": " + file + " does not exist", e);
            }
        }
    }
}

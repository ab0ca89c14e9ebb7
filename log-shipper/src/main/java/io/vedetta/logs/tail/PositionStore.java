package io.vedetta.logs.tail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The positions file {@code <stateDir>/positions.json}: versioned JSON, replaced atomically (written to a
 * temporary file, fsynced, renamed over the old one, directory fsynced) so a crash leaves either the old or
 * the new file, never a torn one.
 */
final class PositionStore {

    static final int VERSION = 1;
    static final String FILE_NAME = "positions.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final Path file;
    private final Path temp;

    /** Thrown when the file exists but cannot be understood; the caller decides how to start over. */
    static final class UnreadableStateException extends IOException {
        UnreadableStateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    record Document(int version, List<FileState> files) {
        Document {
            files = List.copyOf(files);
        }
    }

    PositionStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.file = dir.resolve(FILE_NAME);
        this.temp = dir.resolve(FILE_NAME + ".tmp");
    }

    Path file() {
        return file;
    }

    /** Empty when there is no positions file yet: the agent's very first start. */
    Optional<List<FileState>> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Document doc;
        try {
            doc = JSON.readValue(file.toFile(), Document.class);
        } catch (IOException e) {
            throw new UnreadableStateException(file + " is not a positions file: " + e.getMessage(), e);
        }
        if (doc.version() != VERSION) {
            throw new UnreadableStateException(file + " has version " + doc.version()
                    + ", this agent reads version " + VERSION, null);
        }
        return Optional.of(doc.files());
    }

    void save(List<FileState> files) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(new Document(VERSION, files));
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    /** Moves an unreadable file aside so it can be inspected, and so the next save does not fail on it. */
    Path setAside(long nowMillis) throws IOException {
        Path aside = dir.resolve(FILE_NAME + ".unreadable-" + nowMillis);
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        return aside;
    }

    private void syncDirectory() throws IOException {
        // The rename is durable only once the directory entry is; Linux lets a directory be opened to fsync it.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}

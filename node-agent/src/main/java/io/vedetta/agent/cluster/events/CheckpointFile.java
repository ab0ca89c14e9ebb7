package io.vedetta.agent.cluster.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The events' checkpoint in the state directory ({@code <stateDir>/events-checkpoint.json}): the resource version up
 * to which Elasticsearch has acknowledged the events, versioned JSON written to a temp file, synced, renamed over
 * the old one and the directory synced, so a crash leaves the old file or the new one, never half of one.
 */
final class CheckpointFile {

    static final String NAME = "events-checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    /** The state directory is made once, not checked with a mkdir at every checkpoint. */
    private boolean directoryMade;

    CheckpointFile(Path stateDir) {
        this.file = stateDir.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /** The stored version; empty when there is none. A file that cannot be read is an error for the caller. */
    Optional<String> read() throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (root == null || root.path("version").asInt() != 1 || !root.path("resourceVersion").isTextual()) {
            throw new IOException(file + " is not a version 1 events checkpoint");
        }
        return Optional.of(root.path("resourceVersion").asText()).filter(rv -> !rv.isEmpty());
    }

    void write(String resourceVersion) throws IOException {
        if (!directoryMade) {
            Files.createDirectories(file.getParent());
            directoryMade = true;
        }
        Path temp = file.resolveSibling(NAME + ".tmp");
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("version", 1)
                .put("resourceVersion", resourceVersion));
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(body));
            out.force(true);
        } catch (NoSuchFileException e) {
            directoryMade = false; // removed under the agent: made again at the next checkpoint
            throw e;
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}

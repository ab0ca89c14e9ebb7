package io.vedetta.logs.record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The last resort for records a stage cannot pass on (the Elasticsearch sink's when the dead-letter index refuses
 * them too, the buffer's when a spill segment cannot frame them): NDJSON appended to a file in the state directory
 * and forced to disk before the records are acknowledged. The file never grows past {@code maxBytes} (it shares the
 * node's disk with the kubelet's logs): lines that would take it further are refused, whole, and the caller counts
 * them. Emptying or moving the file makes room again; a bound of 0 keeps no file at all. Thread-safe.
 */
public final class DeadLetterFile {

    private final Path file;
    private final long maxBytes;

    public DeadLetterFile(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    public Path path() {
        return file;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Appends, in order, those of {@code lines} that fit under the bound; returns how many that is. */
    public synchronized int append(List<String> lines) throws IOException {
        if (maxBytes == 0) {
            return 0;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            long room = maxBytes - channel.size();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            int fitting = 0;
            for (String line : lines) {
                byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                if (bytes.length > room) {
                    continue;
                }
                room -= bytes.length;
                text.writeBytes(bytes);
                fitting++;
            }
            ByteBuffer bytes = ByteBuffer.wrap(text.toByteArray());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (fitting > 0) {
                channel.force(false);
            }
            return fitting;
        }
    }
}

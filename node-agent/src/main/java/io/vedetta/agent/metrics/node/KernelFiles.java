package io.vedetta.agent.metrics.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The small files of /proc and /sys that the node readers read at every scrape, read whole into a buffer each
 * collecting thread keeps. {@code Files.readAllLines} and {@code readString} allocated 16 KiB of reader buffers
 * per file, about a third of a node-only agent's allocation; {@code String.split("\\s+")} compiled its pattern per
 * line.
 */
final class KernelFiles {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[16 << 10]);

    private KernelFiles() {
    }

    /** The whole file as UTF-8 text. */
    static String read(Path file) throws IOException {
        byte[] buffer = BUFFER.get();
        int length = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
                length += n;
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                    BUFFER.set(buffer);
                }
            }
        }
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    /** The file's lines, as {@code Files.readAllLines} splits them. */
    static List<String> lines(Path file) throws IOException {
        return read(file).lines().toList();
    }

    /** The whitespace-separated fields of {@code text}, as {@code text.trim().split("\\s+")}. */
    static String[] fields(String text) {
        return WHITESPACE.split(text.trim());
    }
}

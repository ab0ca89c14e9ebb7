package io.vedetta.logs.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds the copy that copytruncate left of a truncated file: it sits next to the file under a longer name
 * ({@code x.log.1}, {@code x.log-20261125}) and holds the same bytes, that is the same first bytes and the same
 * bytes just before where reading stopped.
 */
final class RotatedCopyFinder {

    private RotatedCopyFinder() {
    }

    /**
     * @param file     the truncated file, symlinks resolved
     * @param before   the bytes of the file just before {@code resumeAt}
     * @param resumeAt where reading stopped; the copy must reach at least that far
     */
    static Optional<Path> find(Path file, Fingerprint fingerprint, byte[] before, long resumeAt) throws IOException {
        String name = file.getFileName().toString();
        DirectoryStream.Filter<Path> longerName = p -> {
            String n = p.getFileName().toString();
            return n.startsWith(name) && !n.equals(name);
        };
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(file.getParent(), longerName)) {
            for (Path candidate : candidates) {
                if (isCopy(candidate, fingerprint, before, resumeAt)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isCopy(Path candidate, Fingerprint fingerprint, byte[] before, long resumeAt) {
        try (FileChannel ch = FileChannel.open(candidate, StandardOpenOption.READ)) {
            byte[] found = new byte[before.length];
            return Files.isRegularFile(candidate) && ch.size() >= resumeAt
                    && fingerprint.isHeadOf(ch)
                    && FileReads.readFully(ch, found, 0, found.length, resumeAt - found.length) == found.length
                    && Arrays.equals(found, before);
        } catch (IOException e) {
            // A candidate that vanished or cannot be read is simply not the copy.
            return false;
        }
    }
}

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
 * Finds what rotation left next to a log file, always under a longer name ({@code 0.log.20261125-010203},
 * {@code x.log.1}, {@code x.log-20261125}): the renamed file itself, known by its inode, or the copy that
 * copytruncate made, known by its content.
 */
final class RotatedFiles {

    private RotatedFiles() {
    }

    /** The file with this device and inode among the rotated siblings of {@code file} (symlinks resolved). */
    static Optional<Path> findRenamed(Path file, FileKey key) throws IOException {
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(file.getParent(), longerName(file))) {
            for (Path candidate : candidates) {
                if (Files.isRegularFile(candidate) && FileKey.of(candidate).equals(key)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The copy of a truncated file: the same first bytes, and the same bytes just before where reading stopped.
     *
     * @param file     the truncated file, symlinks resolved
     * @param before   the bytes of the file just before {@code resumeAt}
     * @param resumeAt where reading stopped; the copy must reach at least that far
     */
    static Optional<Path> findCopy(Path file, Fingerprint fingerprint, byte[] before, long resumeAt)
            throws IOException {
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(file.getParent(), longerName(file))) {
            for (Path candidate : candidates) {
                if (isCopy(candidate, fingerprint, before, resumeAt)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static DirectoryStream.Filter<Path> longerName(Path file) {
        String name = file.getFileName().toString();
        return p -> {
            String n = p.getFileName().toString();
            return n.startsWith(name) && !n.equals(name);
        };
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

package io.vedetta.logs.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds what rotation left next to a log file, always under a longer name ({@code 0.log.20261125-010203},
 * {@code x.log.1}, {@code x.log-20261125}): the renamed file itself, known by its inode, or the copy that
 * copytruncate made, known by its content.
 */
final class RotatedFiles {

    private static final int MAX_LINKS = 40;

    private RotatedFiles() {
    }

    /** Where the file known by {@code key} is now, and whether it is still the one behind {@code path}. */
    record Location(Path file, boolean renamed) {
    }

    /**
     * The file with this device and inode: behind {@code path} (a log file or a link to one), or, if rotation
     * moved it, among the rotated siblings of the file the link leads to, which need not exist any more (between
     * the rename and the writer's reopen). Empty if it is in neither place.
     */
    static Optional<Location> locate(Path path, FileKey key) throws IOException {
        Path target = linkTarget(path);
        // Whatever its type: a file that is not a regular one is refused by the opener, and counted there.
        if (Files.exists(target) && FileKey.of(target).equals(key)) {
            return Optional.of(new Location(target, false));
        }
        return findRenamed(target, key).map(renamed -> new Location(renamed, true));
    }

    /** {@code path} with every symlink resolved, even when the last one dangles. */
    private static Path linkTarget(Path path) throws IOException {
        Path p = path;
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == MAX_LINKS) {
                throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
            }
            p = p.resolveSibling(Files.readSymbolicLink(p));
        }
        return p.getParent().toRealPath().resolve(p.getFileName());
    }

    /** The file with this device and inode among the rotated siblings of {@code file} (symlinks resolved). */
    private static Optional<Path> findRenamed(Path file, FileKey key) throws IOException {
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(file.getParent(), longerName(file))) {
            for (Path candidate : candidates) {
                if (hasKey(candidate, key)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasKey(Path candidate, FileKey key) {
        try {
            return Files.isRegularFile(candidate) && FileKey.of(candidate).equals(key);
        } catch (IOException e) {
            // Compressed or deleted by the rotation while we looked: not the file we are after.
            return false;
        }
    }

    /**
     * The copy of a truncated file, open: the same first bytes, and the same bytes just before where reading
     * stopped. Candidates go through {@code opener}, so a FIFO or a device under a rotated name is refused (and
     * counted) rather than opened, which for a FIFO would wait for a writer for ever.
     *
     * @param file     the truncated file, symlinks resolved
     * @param before   the bytes of the file just before {@code resumeAt}
     * @param resumeAt where reading stopped; the copy must reach at least that far
     */
    static Optional<LogFileOpener.Opened> findCopy(Path file, Fingerprint fingerprint, byte[] before, long resumeAt,
            LogFileOpener opener) throws IOException {
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(file.getParent(), longerName(file))) {
            for (Path candidate : candidates) {
                Optional<LogFileOpener.Opened> copy = openIfCopy(candidate, fingerprint, before, resumeAt, opener);
                if (copy.isPresent()) {
                    return copy;
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

    private static Optional<LogFileOpener.Opened> openIfCopy(Path candidate, Fingerprint fingerprint, byte[] before,
            long resumeAt, LogFileOpener opener) {
        Optional<LogFileOpener.Opened> opened;
        try {
            opened = opener.open(candidate);
        } catch (IOException e) {
            // A candidate that vanished or cannot be opened is simply not the copy.
            return Optional.empty();
        }
        if (opened.isEmpty()) {
            return opened;
        }
        FileChannel ch = opened.get().channel();
        try {
            byte[] found = new byte[before.length];
            if (ch.size() >= resumeAt && fingerprint.isHeadOf(ch)
                    && FileReads.readFully(ch, found, 0, found.length, resumeAt - found.length) == found.length
                    && Arrays.equals(found, before)) {
                return opened;
            }
        } catch (IOException e) {
            // Unreadable: not the copy either.
        }
        closeQuietly(opened.get());
        return Optional.empty();
    }

    private static void closeQuietly(LogFileOpener.Opened opened) {
        try {
            opened.close();
        } catch (IOException e) {
            // Only read from; nothing to lose.
        }
    }
}

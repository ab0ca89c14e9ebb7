package io.vedetta.logs.tail;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opens log files for reading so that nothing but a regular file under the allowed roots is ever read, and no
 * open blocks. The agent reads with {@code DAC_READ_SEARCH} and sees the node's directories, so a FIFO beside a log
 * (an open that waits for a writer for ever), a device, or a symlink pointing anywhere on the node must not be
 * opened, let alone shipped.
 *
 * <p>How: {@code open(2)} with {@code O_PATH}, which follows the links like any open but never opens the file for
 * I/O, so it neither blocks on a FIFO nor wakes a device. What the kernel opened is then read through
 * {@code /proc/self/fd/N}: its real path (every link resolved, exactly as the open resolved them, so no link swapped
 * between a check and the open can fool it) and its type, device and inode. Only a regular file under an allowed
 * root is opened for reading, through the same {@code /proc/self/fd/N}, which reaches that very inode whatever
 * happened to the path meanwhile. A refusal is counted and logged once per file ({@link Refusals}).
 */
final class LogFileOpener {

    static final String NOT_REGULAR = "not_regular";
    static final String OUTSIDE_ROOTS = "outside_roots";

    // The generic Linux values, which x86, ARM, RISC-V, PowerPC and s390 share.
    private static final int O_PATH = 010000000;
    private static final int O_CLOEXEC = 02000000;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int ENOTDIR = 20;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** A file opened for reading, with the identity and real path of what was opened. */
    record Opened(FileChannel channel, FileKey key, Path realPath) implements Closeable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private final LibC libc;
    private final List<Path> roots;
    private final Refusals refusals;
    private volatile List<Path> realRoots;

    /** @param roots the directories files may lie in, after every link is resolved ({@code logs.allowedRoots}) */
    LogFileOpener(List<Path> roots, Refusals refusals) {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("tailing log files needs Linux: files are opened with O_PATH"
                    + " and checked through /proc/self/fd");
        }
        this.libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
        this.roots = List.copyOf(roots);
        this.refusals = refusals;
        refreshRoots();
    }

    /**
     * Resolves the roots' own links again (a root may be a link, {@code /var/log} to a data disk, and may appear
     * after the start); a root that does not exist is kept as written.
     */
    void refreshRoots() {
        List<Path> resolved = new ArrayList<>();
        for (Path root : roots) {
            try {
                resolved.add(root.toRealPath());
            } catch (IOException e) {
                resolved.add(root.toAbsolutePath().normalize());
            }
        }
        realRoots = List.copyOf(resolved);
    }

    List<Path> roots() {
        return roots;
    }

    /**
     * Opens the file behind {@code path} (links followed); empty, counted and logged once, when it is not a regular
     * file or lies outside the allowed roots.
     *
     * @throws NoSuchFileException when it does not exist (any more)
     */
    Optional<Opened> open(Path path) throws IOException {
        int fd = openPath(path);
        try {
            Path proc = Path.of("/proc/self/fd/" + fd);
            Path real = Files.readSymbolicLink(proc);
            Map<String, Object> attributes = Files.readAttributes(proc, "unix:mode,dev,ino");
            int mode = ((Number) attributes.get("mode")).intValue();
            if ((mode & S_IFMT) != S_IFREG) {
                refusals.refuse(NOT_REGULAR, path, real, "it is " + type(mode) + ", not a regular file");
                return Optional.empty();
            }
            if (!underRoots(real)) {
                refusals.refuse(OUTSIDE_ROOTS, path, real, "it lies outside logs.allowedRoots " + roots);
                return Optional.empty();
            }
            FileKey key = new FileKey(((Number) attributes.get("dev")).longValue(),
                    ((Number) attributes.get("ino")).longValue());
            return Optional.of(new Opened(FileChannel.open(proc, StandardOpenOption.READ), key, real));
        } finally {
            libc.close(fd);
        }
    }

    private int openPath(Path path) throws IOException {
        try {
            return libc.open(path.toString(), O_PATH | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw switch (e.getErrorCode()) {
                case ENOENT, ENOTDIR -> new NoSuchFileException(path.toString());
                case EACCES -> new AccessDeniedException(path.toString());
                default -> new FileSystemException(path.toString(), null, "open failed: errno " + e.getErrorCode());
            };
        }
    }

    private boolean underRoots(Path real) {
        for (Path root : realRoots) {
            if (real.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    private static String type(int mode) {
        return switch (mode & S_IFMT) {
            case 0010000 -> "a FIFO";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            case 0040000 -> "a directory";
            default -> "of type " + Integer.toOctalString(mode & S_IFMT);
        };
    }
}

package io.vedetta.testkit.pod;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Path;

/**
 * Moves the calling thread into a network namespace (setns(2) through JNA). Linux keeps namespaces per thread, so
 * sockets this thread makes afterwards belong to that namespace while the rest of the JVM stays where it was;
 * threads it starts inherit it. Used by one dedicated thread per node network, never by a pooled one.
 */
final class Netns {

    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    private Netns() {
    }

    static void enter(Path namespace) {
        int fd;
        try {
            fd = LibC.INSTANCE.open(namespace.toString(), O_RDONLY);
        } catch (LastErrorException e) {
            throw new PodStartException("cannot open network namespace " + namespace + ": errno " + e.getErrorCode());
        }
        try {
            LibC.INSTANCE.setns(fd, CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new PodStartException("setns into " + namespace + " failed (errno " + e.getErrorCode()
                    + "); the runner needs root (CAP_SYS_ADMIN)");
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd);
    }
}

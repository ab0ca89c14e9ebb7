package io.vedetta.agent.metrics.node;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * statvfs(3) from the C library through JNA, so sizes are exactly node_exporter's ({@code f_blocks * f_bsize})
 * and inode counts are available. Only 64-bit Linux is supported: there glibc and musl lay out
 * {@code struct statvfs} as eight 8-byte fields (bsize, frsize, blocks, bfree, bavail, files, ffree, favail) first.
 */
final class StatvfsStats implements FilesystemStats {

    /** Larger than {@code struct statvfs} on every 64-bit libc (112 bytes), so a wider struct cannot overrun. */
    private static final int BUFFER_BYTES = 256;

    private interface LibC extends Library {
        int statvfs(String path, Memory buf) throws LastErrorException;
    }

    private final LibC libc;

    private StatvfsStats(LibC libc) {
        this.libc = libc;
    }

    static StatvfsStats load() {
        if (!Platform.isLinux() || Native.LONG_SIZE != 8) {
            throw new UnsupportedOperationException("statvfs layout is only known for 64-bit Linux");
        }
        return new StatvfsStats(Native.load(Platform.C_LIBRARY_NAME, LibC.class));
    }

    @Override
    public Usage stat(Path path) throws IOException {
        try (Memory buf = new Memory(BUFFER_BYTES)) {
            try {
                libc.statvfs(path.toString(), buf);
            } catch (LastErrorException e) {
                throw new IOException("statvfs " + path + ": errno " + e.getErrorCode(), e);
            }
            long bsize = buf.getLong(0);
            return new Usage(buf.getLong(16) * bsize, buf.getLong(24) * bsize, buf.getLong(32) * bsize,
                    OptionalLong.of(buf.getLong(40)), OptionalLong.of(buf.getLong(48)));
        }
    }
}

package io.vedetta.agent.metrics.node;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;

/**
 * adjtimex(2) from the C library through JNA. Only 64-bit Linux is supported: there glibc and musl lay out
 * {@code struct timex} as {@code int modes} (padded to 8 bytes), then the {@code long} fields offset, freq,
 * maxerror, esterror, then {@code int status}.
 */
final class AdjtimexClock implements KernelClock {

    /** Larger than {@code struct timex} (208 bytes), so the kernel never writes past it. */
    private static final int BUFFER_BYTES = 256;

    private interface LibC extends Library {
        int adjtimex(Memory buf) throws LastErrorException;
    }

    private final LibC libc;

    private AdjtimexClock(LibC libc) {
        this.libc = libc;
    }

    static AdjtimexClock load() {
        if (!Platform.isLinux() || Native.LONG_SIZE != 8) {
            throw new UnsupportedOperationException("struct timex layout is only known for 64-bit Linux");
        }
        return new AdjtimexClock(Native.load(Platform.C_LIBRARY_NAME, LibC.class));
    }

    @Override
    public Timex read() throws IOException {
        try (Memory buf = new Memory(BUFFER_BYTES)) {
            buf.clear();
            int state;
            try {
                state = libc.adjtimex(buf);
            } catch (LastErrorException e) {
                throw new IOException("adjtimex: errno " + e.getErrorCode(), e);
            }
            return new Timex(state, buf.getLong(8), buf.getLong(24), buf.getLong(32), buf.getInt(40));
        }
    }
}

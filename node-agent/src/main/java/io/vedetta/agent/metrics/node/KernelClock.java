package io.vedetta.agent.metrics.node;

import java.io.IOException;

/**
 * The kernel's clock discipline as adjtimex(2) reports it (read only: no mode bits set), the edge between the
 * timex reader and the OS. The preferred implementation calls the C library through JNA; where JNA cannot load,
 * there are no {@code node_timex_*} series.
 */
public interface KernelClock {

    /** adjtimex(2)'s return value when the clock is not synchronised. */
    int TIME_ERROR = 5;
    /** Status bit: {@code offset} is in nanoseconds rather than microseconds. */
    int STA_NANO = 0x2000;

    /**
     * What adjtimex returned ({@code state}) and the fields of {@code struct timex} node-mixin reads:
     * {@code offset} (µs, or ns with {@link #STA_NANO}), {@code maxerror} and {@code esterror} (µs), {@code status}.
     */
    record Timex(int state, long offset, long maxerror, long esterror, int status) {
    }

    Timex read() throws IOException;

    /** adjtimex(2) through JNA on 64-bit Linux; otherwise a clock whose every read fails with the reason. */
    static KernelClock forThisPlatform() {
        try {
            return AdjtimexClock.load();
        } catch (LinkageError | RuntimeException e) {
            String reason = "adjtimex(2) through JNA is unavailable (" + e + ")";
            return () -> {
                throw new IOException(reason);
            };
        }
    }
}

package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;

/**
 * The clock's synchronisation as node_exporter's timex collector reports it: synchronised unless adjtimex says
 * {@code TIME_ERROR}, the offset to the reference clock, and the maximum and estimated errors, in seconds.
 */
final class TimexReader implements NodeReader {

    private final KernelClock clock;

    TimexReader(KernelClock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "timex";
    }

    @Override
    public boolean readsHostFiles() {
        return false;
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        KernelClock.Timex t = clock.read();
        double offsetUnit = (t.status() & KernelClock.STA_NANO) != 0 ? 1e9 : 1e6;
        out.add(NodeMetrics.TIMEX_SYNC_STATUS, t.state() == KernelClock.TIME_ERROR ? 0 : 1);
        out.add(NodeMetrics.TIMEX_OFFSET, t.offset() / offsetUnit);
        out.add(NodeMetrics.TIMEX_MAXERROR, t.maxerror() / 1e6);
        out.add(NodeMetrics.TIMEX_ESTIMATED_ERROR, t.esterror() / 1e6);
    }
}

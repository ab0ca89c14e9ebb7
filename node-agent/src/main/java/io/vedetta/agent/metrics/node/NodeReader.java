package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;

/** Reads one /proc file family into node series. A reader that throws is counted and skipped by {@link NodeSource}. */
interface NodeReader {

    /** The {@code collector} label of {@code vedetta_node_collector_errors_total}, as node_exporter names it. */
    String name();

    /** Whether this reader reads files under the host root, so that nothing read by any such reader means a wrong root. */
    default boolean readsHostFiles() {
        return true;
    }

    /** Adds this reader's points to {@code out}; a bad line or mount point is reported to {@code skipped} and left out. */
    void read(SeriesBuffer out, Skipped skipped) throws IOException;

    /** Where a reader reports one part it could not read while the rest goes on. */
    interface Skipped {
        void skip(String subject, String cause);
    }
}

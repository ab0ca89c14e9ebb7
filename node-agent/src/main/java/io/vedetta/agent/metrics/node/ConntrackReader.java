package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code /proc/sys/net/netfilter/nf_conntrack_{count,max}}: connection tracking entries and the table's size.
 * Without the nf_conntrack module the files do not exist and, as from node_exporter, there are no series. The
 * files show the reader's network namespace, so the DaemonSet runs with {@code hostNetwork: true}.
 */
final class ConntrackReader implements NodeReader {

    private final Path count;
    private final Path max;

    ConntrackReader(Path procRoot) {
        Path dir = procRoot.resolve("sys").resolve("net").resolve("netfilter");
        this.count = dir.resolve("nf_conntrack_count");
        this.max = dir.resolve("nf_conntrack_max");
    }

    @Override
    public String name() {
        return "conntrack";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        if (!Files.exists(count)) {
            return;
        }
        out.add(NodeMetrics.CONNTRACK_ENTRIES, Double.parseDouble(KernelFiles.read(count).trim()));
        out.add(NodeMetrics.CONNTRACK_ENTRIES_LIMIT, Double.parseDouble(KernelFiles.read(max).trim()));
    }
}

package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code /proc/net/dev}: bytes, packets, errors and drops per interface, every interface (node_exporter's default).
 * The file shows the reader's network namespace, so the DaemonSet runs with {@code hostNetwork: true}.
 */
final class NetDevReader implements NodeReader {

    private static final int FIELDS = 16;

    private final Path file;

    NetDevReader(Path procRoot) {
        this.file = procRoot.resolve("net").resolve("dev");
    }

    @Override
    public String name() {
        return "netdev";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        List<String> lines = KernelFiles.lines(file);
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            int colon = line.indexOf(':');
            String[] f = colon < 0 ? new String[0] : KernelFiles.fields(line.substring(colon + 1));
            if (f.length < FIELDS) {
                skipped.skip(file + " line \"" + line.trim() + "\"", "expected an interface and " + FIELDS + " counters");
                continue;
            }
            String device = line.substring(0, colon).trim();
            out.add(NodeMetrics.NETWORK_RECEIVE_BYTES, Double.parseDouble(f[0]), device);
            out.add(NodeMetrics.NETWORK_RECEIVE_PACKETS, Double.parseDouble(f[1]), device);
            out.add(NodeMetrics.NETWORK_TRANSMIT_PACKETS, Double.parseDouble(f[9]), device);
            out.add(NodeMetrics.NETWORK_RECEIVE_ERRS, Double.parseDouble(f[2]), device);
            out.add(NodeMetrics.NETWORK_RECEIVE_DROP, Double.parseDouble(f[3]), device);
            out.add(NodeMetrics.NETWORK_TRANSMIT_BYTES, Double.parseDouble(f[8]), device);
            out.add(NodeMetrics.NETWORK_TRANSMIT_ERRS, Double.parseDouble(f[10]), device);
            out.add(NodeMetrics.NETWORK_TRANSMIT_DROP, Double.parseDouble(f[11]), device);
        }
    }
}

package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.MetricName;
import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** {@code /proc/vmstat}: the fields node_exporter's vmstat collector exposes by default (paging, swapping, faults, OOM kills). */
final class VmStatReader implements NodeReader {

    private static final Map<String, MetricName> FIELDS = Map.of(
            "pgpgin", NodeMetrics.VMSTAT_PGPGIN,
            "pgpgout", NodeMetrics.VMSTAT_PGPGOUT,
            "pswpin", NodeMetrics.VMSTAT_PSWPIN,
            "pswpout", NodeMetrics.VMSTAT_PSWPOUT,
            "pgfault", NodeMetrics.VMSTAT_PGFAULT,
            "pgmajfault", NodeMetrics.VMSTAT_PGMAJFAULT,
            "oom_kill", NodeMetrics.VMSTAT_OOM_KILL);

    private final Path file;

    VmStatReader(Path procRoot) {
        this.file = procRoot.resolve("vmstat");
    }

    @Override
    public String name() {
        return "vmstat";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        for (String line : KernelFiles.lines(file)) {
            String[] f = KernelFiles.fields(line);
            MetricName metric = FIELDS.get(f[0]);
            if (metric != null && f.length == 2) {
                out.add(metric, Double.parseDouble(f[1]));
            }
        }
    }
}

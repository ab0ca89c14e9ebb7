package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.MetricName;
import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** {@code /proc/meminfo}: the catalogue's core memory fields, in bytes ({@code kB} there means KiB). */
final class MemInfoReader implements NodeReader {

    private static final Map<String, MetricName> FIELDS = Map.of(
            "MemTotal", NodeMetrics.MEMORY_MEM_TOTAL,
            "MemFree", NodeMetrics.MEMORY_MEM_FREE,
            "MemAvailable", NodeMetrics.MEMORY_MEM_AVAILABLE,
            "Buffers", NodeMetrics.MEMORY_BUFFERS,
            "Cached", NodeMetrics.MEMORY_CACHED,
            "SwapTotal", NodeMetrics.MEMORY_SWAP_TOTAL,
            "SwapFree", NodeMetrics.MEMORY_SWAP_FREE,
            "Slab", NodeMetrics.MEMORY_SLAB);

    private final Path file;

    MemInfoReader(Path procRoot) {
        this.file = procRoot.resolve("meminfo");
    }

    @Override
    public String name() {
        return "meminfo";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        for (String line : KernelFiles.lines(file)) {
            int colon = line.indexOf(':');
            MetricName metric = colon < 0 ? null : FIELDS.get(line.substring(0, colon));
            if (metric == null) {
                continue;
            }
            String[] value = KernelFiles.fields(line.substring(colon + 1));
            double bytes = Double.parseDouble(value[0]);
            out.add(metric, value.length > 1 && value[1].equals("kB") ? bytes * 1024 : bytes);
        }
    }
}

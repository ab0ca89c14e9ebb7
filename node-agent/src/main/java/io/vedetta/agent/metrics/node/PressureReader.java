package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.MetricName;
import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code /proc/pressure/{cpu,memory,io}} (PSI): cumulative stall time. Kernels without PSI, or booted with
 * {@code psi=0} (the files exist but reading fails with EOPNOTSUPP), simply have no pressure series.
 */
final class PressureReader implements NodeReader {

    private final Path dir;

    PressureReader(Path procRoot) {
        this.dir = procRoot.resolve("pressure");
    }

    @Override
    public String name() {
        return "pressure";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        resource(out, "cpu", NodeMetrics.PRESSURE_CPU_WAITING, null);
        resource(out, "memory", NodeMetrics.PRESSURE_MEMORY_WAITING, NodeMetrics.PRESSURE_MEMORY_STALLED);
        resource(out, "io", NodeMetrics.PRESSURE_IO_WAITING, NodeMetrics.PRESSURE_IO_STALLED);
    }

    private void resource(SeriesBuffer out, String name, MetricName some, MetricName full) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines;
        try {
            lines = KernelFiles.lines(file);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Operation not supported")) {
                return;
            }
            throw e;
        }
        for (String line : lines) {
            String[] f = KernelFiles.fields(line);
            MetricName metric = f[0].equals("some") ? some : f[0].equals("full") ? full : null;
            if (metric == null) {
                continue;
            }
            for (String field : f) {
                if (field.startsWith("total=")) {
                    out.add(metric, Long.parseLong(field.substring(6)) / 1e6);
                }
            }
        }
    }
}

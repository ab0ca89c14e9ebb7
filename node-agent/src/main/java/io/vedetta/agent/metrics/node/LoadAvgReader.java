package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Path;

/** {@code /proc/loadavg}: the 1, 5 and 15 minute load averages. */
final class LoadAvgReader implements NodeReader {

    private final Path file;

    LoadAvgReader(Path procRoot) {
        this.file = procRoot.resolve("loadavg");
    }

    @Override
    public String name() {
        return "loadavg";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        String[] f = KernelFiles.fields(KernelFiles.read(file));
        if (f.length < 3) {
            throw new IOException(file + ": expected three load averages, found \"" + String.join(" ", f) + "\"");
        }
        out.add(NodeMetrics.LOAD1, Double.parseDouble(f[0]));
        out.add(NodeMetrics.LOAD5, Double.parseDouble(f[1]));
        out.add(NodeMetrics.LOAD15, Double.parseDouble(f[2]));
    }
}

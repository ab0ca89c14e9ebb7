package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Path;

/** {@code /proc/stat}: per-CPU time by mode and the boot time ({@code btime}). */
final class ProcStatReader implements NodeReader {

    /** USER_HZ: the kernel reports CPU time in ticks of 1/100 s on every architecture node_exporter supports. */
    private static final double USER_HZ = 100.0;

    private static final String[] MODES = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};

    private final Path file;

    ProcStatReader(Path procRoot) {
        this.file = procRoot.resolve("stat");
    }

    @Override
    public String name() {
        return "stat";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        for (String line : KernelFiles.lines(file)) {
            String[] f = KernelFiles.fields(line);
            if (f[0].startsWith("cpu") && f[0].length() > 3) {
                cpu(out, skipped, f);
            } else if (f[0].equals("btime") && f.length >= 2) {
                out.add(NodeMetrics.BOOT_TIME, Double.parseDouble(f[1]));
            }
        }
    }

    private void cpu(SeriesBuffer out, Skipped skipped, String[] f) {
        if (f.length < 1 + MODES.length) {
            skipped.skip(file + " " + f[0], "expected " + MODES.length + " time fields, found " + (f.length - 1));
            return;
        }
        String cpu = f[0].substring(3);
        for (int i = 0; i < MODES.length; i++) {
            out.add(NodeMetrics.CPU_SECONDS, Long.parseLong(f[i + 1]) / USER_HZ, cpu, MODES[i]);
        }
    }
}

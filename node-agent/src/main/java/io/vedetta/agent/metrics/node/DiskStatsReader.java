package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * {@code /proc/diskstats}: bytes read and written and time spent doing I/O (also weighted by the I/Os in
 * progress) per whole disk. Partitions, loop
 * and ram devices are left out with node_exporter's default {@code --collector.diskstats.device-exclude}.
 */
final class DiskStatsReader implements NodeReader {

    static final Pattern DEFAULT_EXCLUDE = Pattern.compile("^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$");

    /** The kernel counts diskstats sectors in 512-byte units whatever the device's sector size. */
    private static final double SECTOR_BYTES = 512;

    private final Path file;

    DiskStatsReader(Path procRoot) {
        this.file = procRoot.resolve("diskstats");
    }

    @Override
    public String name() {
        return "diskstats";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        for (String line : KernelFiles.lines(file)) {
            String[] f = KernelFiles.fields(line);
            if (f.length < 14) {
                skipped.skip(file + " line \"" + line.trim() + "\"", "expected major, minor, device and 11 counters");
                continue;
            }
            String device = f[2];
            if (DEFAULT_EXCLUDE.matcher(device).find()) {
                continue;
            }
            out.add(NodeMetrics.DISK_READ_BYTES, Double.parseDouble(f[5]) * SECTOR_BYTES, device);
            out.add(NodeMetrics.DISK_WRITTEN_BYTES, Double.parseDouble(f[9]) * SECTOR_BYTES, device);
            out.add(NodeMetrics.DISK_IO_TIME, Double.parseDouble(f[12]) / 1000.0, device);
            out.add(NodeMetrics.DISK_IO_TIME_WEIGHTED, Double.parseDouble(f[13]) / 1000.0, device);
        }
    }
}

package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /proc/mdstat}: the disks of each Linux software RAID device as node_exporter's mdadm collector counts
 * them: active and required disks from the status line ({@code [2/1] [U_]}: 2 required, 1 active), failed and
 * spare disks from the {@code (F)} and {@code (S)} marks of the device line; a {@code raid0} or {@code linear}
 * device has every listed disk active and required, an inactive one none. No md driver, no file, no series.
 */
final class MdStatReader implements NodeReader {

    private static final Pattern STATUS = Pattern.compile("(\\d+) blocks .*\\[(\\d+)/(\\d+)\\] \\[([U_]+)\\]");

    private final Path file;

    MdStatReader(Path procRoot) {
        this.file = procRoot.resolve("mdstat");
    }

    @Override
    public String name() {
        return "mdadm";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = KernelFiles.lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith(" ") || line.startsWith("Personalities") || line.startsWith("unused")) {
                continue;
            }
            String[] fields = KernelFiles.fields(line);
            if (fields.length < 3 || i + 1 >= lines.size()) {
                skipped.skip(file + " line \"" + line.trim() + "\"", "expected a device, its state and a status line");
                continue;
            }
            long[] activeAndRequired = disks(line, lines.get(i + 1));
            if (activeAndRequired == null) {
                skipped.skip(file + " device " + fields[0], "unexpected status line \"" + lines.get(i + 1).trim() + "\"");
                continue;
            }
            String device = fields[0];
            out.add(NodeMetrics.MD_DISKS, activeAndRequired[0], device, "active");
            out.add(NodeMetrics.MD_DISKS, count(line, "(F)"), device, "failed");
            out.add(NodeMetrics.MD_DISKS, count(line, "(S)"), device, "spare");
            out.add(NodeMetrics.MD_DISKS_REQUIRED, activeAndRequired[1], device);
        }
    }

    /** Active and required disks, or null when the status line cannot be read. */
    private static long[] disks(String deviceLine, String statusLine) {
        if (deviceLine.contains("raid0") || deviceLine.contains("linear")) {
            long listed = count(deviceLine, "[");
            return new long[] {listed, listed};
        }
        if (deviceLine.contains("inactive")) {
            return new long[] {0, 0};
        }
        Matcher m = STATUS.matcher(statusLine);
        return m.find() ? new long[] {Long.parseLong(m.group(3)), Long.parseLong(m.group(2))} : null;
    }

    private static long count(String text, String mark) {
        long n = 0;
        for (int i = text.indexOf(mark); i >= 0; i = text.indexOf(mark, i + mark.length())) {
            n++;
        }
        return n;
    }
}

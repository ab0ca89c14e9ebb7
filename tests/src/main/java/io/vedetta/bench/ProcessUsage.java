package io.vedetta.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** CPU time and memory of a running process, read from {@code /proc/<pid>}. */
final class ProcessUsage {

    /** Linux's USER_HZ, the unit of utime and stime in /proc/<pid>/stat, on every architecture the agent runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessUsage() {
    }

    /** User plus system CPU seconds used so far. */
    static double cpuSeconds(long pid) {
        String stat = read(pid, "stat");
        // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** Resident set size now, in bytes. */
    static long rssBytes(long pid) {
        return statusKiB(pid, "VmRSS:") * 1024;
    }

    /** Highest resident set size so far, in bytes. */
    static long peakRssBytes(long pid) {
        return statusKiB(pid, "VmHWM:") * 1024;
    }

    private static long statusKiB(long pid, String field) {
        return read(pid, "status").lines().filter(l -> l.startsWith(field)).findFirst()
                .map(l -> Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]))
                .orElseThrow(() -> new IllegalStateException("no " + field + " in /proc/" + pid + "/status"));
    }

    private static String read(long pid, String file) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file, e);
        }
    }

    /** CPU seconds that some processes use between {@link #start} and {@link #stop}. */
    static final class CpuSpan {
        private final Map<Long, Double> seconds = new HashMap<>();

        static CpuSpan start(long... pids) {
            CpuSpan span = new CpuSpan();
            for (long pid : pids) {
                span.seconds.put(pid, ProcessUsage.cpuSeconds(pid));
            }
            return span;
        }

        CpuSpan stop() {
            seconds.replaceAll((pid, atStart) -> ProcessUsage.cpuSeconds(pid) - atStart);
            return this;
        }

        double cpuSeconds(long pid) {
            return seconds.get(pid);
        }
    }
}

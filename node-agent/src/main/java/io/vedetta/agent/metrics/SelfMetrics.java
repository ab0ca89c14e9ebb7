package io.vedetta.agent.metrics;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's own health: build info, JVM and process metrics. The resident set size comes from
 * {@code /proc/self/status} because that, not the heap, is what the DaemonSet's memory limit counts.
 */
public final class SelfMetrics implements AutoCloseable {

    private static final Path SELF_STATUS = Path.of("/proc/self/status");

    private final JvmGcMetrics gc = new JvmGcMetrics();

    public SelfMetrics(MeterRegistry registry, String version, boolean jvm) {
        // Micrometer's names for these two break Prometheus naming rules (promtool lints them):
        // CPU time is exposed the Prometheus way instead, the CPU count under a name without _count.
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
                    .description("CPU time used by the agent process")
                    .baseUnit("seconds")
                    .register(registry);
        }
        Gauge.builder("vedetta.build.info", () -> 1)
                .description("Always 1; the version label says which Vedetta build is running")
                .tag("version", version)
                .tag("java_version", System.getProperty("java.version"))
                .register(registry);
        Gauge.builder("process.resident.memory", SelfMetrics::residentBytes)
                .description("Resident set size of the agent process, from /proc/self/status")
                .baseUnit("bytes")
                .register(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (jvm) {
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            gc.bindTo(registry);
        }
    }

    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(SELF_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Double.parseDouble(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        gc.close();
    }
}

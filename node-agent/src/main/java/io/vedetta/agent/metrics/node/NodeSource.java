package io.vedetta.agent.metrics.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.metrics.FailureCounter;
import io.vedetta.agent.metrics.FamilyNames;
import io.vedetta.agent.metrics.HostPaths;
import io.vedetta.agent.metrics.MetricSource;
import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node series under node_exporter's names, read at scrape time from the host's /proc and filesystems. Each
 * reader stands alone: one that fails is counted in {@code vedetta_node_collector_errors_total{collector}},
 * logged, and left out while the others are served; only when nothing at all could be read (a wrong host root)
 * does the collection fail.
 */
public final class NodeSource implements MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(NodeSource.class);
    private static final FamilyNames FAMILIES = FamilyNames.of(NodeMetrics.ALL);

    private final Path procRoot;
    private final List<NodeReader> readers;
    private final FailureCounter failures;

    /**
     * @param host  the host's /proc ({@code /proc}, or {@code /host/proc} in the DaemonSet), /sys, and root filesystem
     *     under which mount points are statted ({@code /} or {@code /host/root})
     * @param stats statvfs access, usually {@link FilesystemStats#forThisPlatform()}
     * @param clock adjtimex access, usually {@link KernelClock#forThisPlatform()}
     */
    public NodeSource(HostPaths host, FilesystemStats stats, KernelClock clock, MeterRegistry registry) {
        this.procRoot = host.proc();
        Path procRoot = host.proc();
        this.readers = List.of(new ProcStatReader(procRoot), new MemInfoReader(procRoot), new LoadAvgReader(procRoot),
                new FilesystemReader(procRoot, host.rootfs(), stats, FilesystemReader.DEFAULT_STAT_TIMEOUT),
                new NetDevReader(procRoot), new DiskStatsReader(procRoot), new UnameReader(procRoot),
                new PressureReader(procRoot), new VmStatReader(procRoot), new FileFdReader(procRoot),
                new ConntrackReader(procRoot), new TimexReader(clock), new MdStatReader(procRoot),
                new BondingReader(host.sys()));
        this.failures = new FailureCounter(registry, "vedetta.node.collector.errors",
                NodeMetrics.COLLECTOR_ERRORS.help(), "collector", LOG);
        readers.forEach(r -> failures.register(r.name()));
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public FamilyNames families() {
        return FAMILIES;
    }

    @Override
    public MetricSnapshots collect() throws IOException {
        SeriesBuffer all = new SeriesBuffer();
        boolean hostFilesRead = false;
        for (NodeReader reader : readers) {
            SeriesBuffer part = new SeriesBuffer();
            try {
                reader.read(part, (subject, cause) -> failures.record(reader.name(), subject, cause));
                hostFilesRead |= reader.readsHostFiles() && !part.isEmpty();
                all.addAll(part);
            } catch (IOException | RuntimeException e) {
                failures.record(reader.name(), "under " + procRoot, e.toString());
            }
        }
        if (!hostFilesRead) {
            throw new IOException("no node metric could be read under " + procRoot
                    + "; check metrics.hostRoot and the host /proc mount");
        }
        return all.build();
    }
}

package io.vedetta.bench;

import io.vedetta.testkit.AgentArchive;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** The figures of one {@code scripts/bench metrics} run, written as the markdown section of BENCHMARKS.md. */
final class MetricsReport {

    /** Issue #21's targets for a full node's scrape: p99 against the physical limit's, CPU, peak RSS. */
    static final double P99_RATIO = 2;
    static final double P99_RATIO_GZIP = 3;
    static final double CPU_MILLIS_PER_SCRAPE = 40;
    static final long PEAK_RSS_BYTES = 200L << 20;

    record FullNodeFigures(int cadvisorSeries, int cadvisorBytes, int exposedSeries, int pods, List<Target> targets,
            Target baseline, double agentCpuSeconds, int agentScrapes, long agentRss, long agentPeakRss) {
    }

    record NodeSeriesFigures(List<Target> agent, List<Target> exporter, int agentNodeSeries, int exporterNodeSeries,
            int agentSeries, int exporterSeries, double agentCpuSeconds, double exporterCpuSeconds,
            int scrapesEach, long agentRss, long exporterRss, String exporterVersion) {
    }

    private final int scrapes;
    private final int nodeScrapes;
    private final Duration warmUp;
    private final Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private Machine machine;
    private FullNodeFigures fullNode;
    private NodeSeriesFigures nodeSeries;

    private final List<String> agentOptions;

    MetricsReport(int scrapes, int nodeScrapes, Duration warmUp, List<String> agentOptions) {
        this.scrapes = scrapes;
        this.nodeScrapes = nodeScrapes;
        this.warmUp = warmUp;
        this.agentOptions = List.copyOf(agentOptions);
    }

    /** The chart's JVM options, then any the command added. */
    private String agentJvm() {
        String chart = String.join(" ", MetricsBench.AGENT_JVM);
        return agentOptions.isEmpty() ? chart : chart + "` plus `" + String.join(" ", agentOptions);
    }

    void machine(Machine value) {
        this.machine = value;
    }

    void fullNode(FullNodeFigures value) {
        this.fullNode = value;
    }

    void nodeSeries(NodeSeriesFigures value) {
        this.nodeSeries = value;
    }

    String markdown(String command, String commit) {
        StringBuilder md = new StringBuilder();
        md.append("## Metrics: scrape cost of a full node, and node series against node_exporter\n\n");
        md.append(format("Command: `%s` (commit %s), run %s on %d CPUs (%s), load average %s before the run, "
                + "kernel %s, %s. %,d measured scrapes per target of the full node and %,d per target of the node series "
                + "(a node scrape takes milliseconds: with 200 its p99 would be the second-slowest), after %d s of "
                + "warm-up rounds; the targets of a table are "
                + "scraped in turn in a rotating order so that the machine's noise falls on all of them alike. Times "
                + "are from sending the request to the last byte of the response, one connection per target kept "
                + "open, as Prometheus scrapes.\n\n", command, commit, date, machine.cpus(), machine.cpuModel(),
                machine.loadAverage(), machine.kernel(), machine.java(), scrapes, nodeScrapes, warmUp.toSeconds()));
        if (fullNode != null) {
            fullNodeSection(md);
        }
        if (nodeSeries != null) {
            nodeSeriesSection(md);
        }
        return md.toString();
    }

    private void fullNodeSection(StringBuilder md) {
        FullNodeFigures f = fullNode;
        Latencies base = f.baseline().latencies();
        md.append(format("### Full node: %d pods × %d containers\n\n", FullNode.PODS, FullNode.CONTAINERS));
        md.append(format("The simulated kubelet's `/metrics/cadvisor` has %,d series (%s), templated from the recorded "
                + "cAdvisor response; `/metrics` is the recorded kubelet's; like a kubelet, it gzips (at the default level) a response "
                + "whose request accepts gzip; node series come from this machine's /proc. "
                + "The agent (defaults: cadvisor, kubelet and node sources, pod state) serves %,d series with "
                + "container series of %d pods. Physical limit (the baseline of the ratios): fetching the simulated "
                + "kubelet's `/metrics/cadvisor` directly, the least any scrape of that node costs.\n\n",
                f.cadvisorSeries(), bytes(f.cadvisorBytes()), f.exposedSeries(), f.pods()));
        md.append("| target | p50 ms | p99 ms | max ms | agent CPU ms per scrape | bytes on the wire | bytes decoded "
                + "| p50 / baseline | p99 / baseline |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Target t : f.targets()) {
            Latencies l = t.latencies();
            md.append(format("| %s | %.1f | %.1f | %.1f | %.1f | %s | %s | %s | %s |\n", t.name(), l.millis(0.5),
                    l.millis(0.99), l.millis(1), t.agentCpuMillisPerScrape(), bytes(l.wireBytes()), bytes(l.bodyBytes()),
                    t == f.baseline() ? "1" : ratio(l.millis(0.5), base.millis(0.5)),
                    t == f.baseline() ? "1" : ratio(l.millis(0.99), base.millis(0.99))));
        }
        double cpuMillis = 1000 * f.agentCpuSeconds() / f.agentScrapes();
        md.append(format("\nAgent process: %.1f ms CPU per scrape (%.2f s over %d scrapes; the table's CPU column "
                + "reads it around each scrape of a target, so the physical limit's row is what the agent spent meanwhile "
                + "on its own), RSS %s after the run "
                + "(peak %s), JVM options `%s` (the Helm chart's `javaOptions` at its 512Mi memory limit), environment `%s` (the image's), %s.\n\n",
                cpuMillis, f.agentCpuSeconds(), f.agentScrapes(),
                bytes(f.agentRss()), bytes(f.agentPeakRss()), agentJvm(),
                ChartJvm.describe(MetricsBench.CHART.environment()),
                AgentArchive.describe(AgentArchive.configured())));
        md.append("Targets (issue #21):\n");
        double limit = base.millis(0.99);
        for (Target t : f.targets()) {
            if (t == f.baseline()) {
                continue;
            }
            double allowed = t.gzip() ? P99_RATIO_GZIP : P99_RATIO;
            double ratio = t.latencies().millis(0.99) / limit;
            md.append(format("- %s: p99 ≤ %.0f× the physical limit's: **%s** (%.2f×)\n", t.name(), allowed,
                    ratio <= allowed ? "met" : "missed", ratio));
        }
        md.append(format("- CPU per scrape ≤ %.0f ms: **%s** (%.1f ms)\n", CPU_MILLIS_PER_SCRAPE,
                cpuMillis <= CPU_MILLIS_PER_SCRAPE ? "met" : "missed", cpuMillis));
        md.append(format("- peak RSS ≤ %s: **%s** (%s)\n\n", bytes(PEAK_RSS_BYTES),
                f.agentPeakRss() <= PEAK_RSS_BYTES ? "met" : "missed", bytes(f.agentPeakRss())));
    }

    private void nodeSeriesSection(StringBuilder md) {
        NodeSeriesFigures n = nodeSeries;
        md.append("### Node series: the agent's node source against prometheus-node-exporter\n\n");
        md.append(format("The agent with only its node source (`kubernetes.enabled: false`, `metrics.kubelet.enabled: "
                + "false`) serves %d `node_*` series (%d with its JVM and self metrics); %s with the matching "
                + "collectors (`%s`) serves %d `node_*` series (%d with its Go and process metrics). Both read this "
                + "machine's /proc and filesystems at scrape time.\n\n", n.agentNodeSeries(), n.agentSeries(),
                n.exporterVersion(), String.join(" ", MetricsBench.NODE_EXPORTER_COLLECTORS), n.exporterNodeSeries(), n.exporterSeries()));
        md.append("| format | agent p50 ms | agent p99 ms | node_exporter p50 ms | node_exporter p99 ms "
                + "| p50 agent / node_exporter | p99 agent / node_exporter | agent bytes | node_exporter bytes |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        boolean noSlower = true;
        for (int i = 0; i < n.agent().size(); i++) {
            Latencies a = n.agent().get(i).latencies();
            Latencies e = n.exporter().get(i).latencies();
            noSlower &= a.millis(0.5) <= e.millis(0.5) && a.millis(0.99) <= e.millis(0.99);
            md.append(format("| %s | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %s |\n",
                    n.agent().get(i).name().replaceFirst("^agent, ", ""), a.millis(0.5), a.millis(0.99), e.millis(0.5),
                    e.millis(0.99), ratio(a.millis(0.5), e.millis(0.5)), ratio(a.millis(0.99), e.millis(0.99)),
                    bytes(a.wireBytes()), bytes(e.wireBytes())));
        }
        double agentCpu = 1000 * n.agentCpuSeconds() / n.scrapesEach();
        double exporterCpu = 1000 * n.exporterCpuSeconds() / n.scrapesEach();
        md.append(format("\nCPU per scrape: agent %.2f ms, node_exporter %.2f ms (ratio %s; %d scrapes each). RSS after "
                + "the run: agent %s, node_exporter %s.\n\n", agentCpu, exporterCpu, ratio(agentCpu, exporterCpu),
                n.scrapesEach(), bytes(n.agentRss()), bytes(n.exporterRss())));
        md.append(format("Target \"node series no slower than node_exporter\" (p50 and p99 in every format): **%s**.\n",
                noSlower ? "met" : "missed"));
    }

    private static String ratio(double value, double baseline) {
        return format("%.2f", value / baseline);
    }

    private static String bytes(long bytes) {
        if (bytes >= 1 << 20) {
            return format("%.2f MiB", bytes / (double) (1 << 20));
        }
        return bytes >= 1 << 10 ? format("%.1f KiB", bytes / 1024.0) : bytes + " B";
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}

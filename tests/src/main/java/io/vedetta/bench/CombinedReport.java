package io.vedetta.bench;

import io.vedetta.testkit.AgentArchive;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The figures of one {@code scripts/bench combined} run, written as the markdown section of BENCHMARKS.md. */
final class CombinedReport {

    /** Issue #21's targets with both jobs at once: peak RSS under the chart's 512Mi limit, and nothing lost. */
    static final long PEAK_RSS_BYTES = 256L << 20;

    /**
     * @param written        lines the containers wrote, warm-up included
     * @param writtenInWindow lines written in the measured window
     * @param sentInWindow   records the agent had acknowledged by Elasticsearch in the window
     * @param stored         documents found in the containers' data streams at the end
     * @param drainSeconds   from the last line written to the agent's acknowledgement of it
     * @param late           writer ticks that started late (the load generator, not the agent, behind)
     */
    record Figures(long written, long writtenInWindow, double sentInWindow, long stored, double drainSeconds,
            long rotations, long late, Target scrape, Target fetch, int cadvisorSeries, double agentCpuSeconds,
            double elasticsearchCpuSeconds, long peakRss, long maxRssInWindow, long medianRssInWindow,
            LogCounters logs) {
    }

    private final CombinedBench.Plan plan;
    private final ChartJvm chart;
    private final Machine machine;
    private final String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    private Figures figures;

    CombinedReport(CombinedBench.Plan plan, ChartJvm chart, Machine machine) {
        this.plan = plan;
        this.chart = chart;
        this.machine = machine;
    }

    void figures(Figures value) {
        figures = value;
    }

    String markdown(String command, String commit) {
        Figures f = figures;
        StringBuilder md = new StringBuilder("## Both jobs at once: a full node's metrics and its logs into Elasticsearch\n\n");
        md.append(format("Command: `%s` (commit %s), run %s on %d CPUs (%s), load average %s before the run, kernel %s, %s. "
                + "The agent runs as the chart runs it: pod discovery, the kubelet's metrics (cadvisor, kubelet), node "
                + "and pod-state series, the cluster collector (the only agent, so the leader), and logs into a real "
                + "Elasticsearch node (the project's es-node, on the same 2 CPUs), with the chart's JVM options `%s` and "
                + "the image's environment `%s`, %s. The node is the full node of the metrics benchmark (110 pods × 3 "
                + "containers, %,d cAdvisor series); %d of its containers write %,d lines a second between them "
                + "(JSON lines of ~200 bytes, one in 20 on stderr), rotated at 10 MiB as the kubelet rotates them "
                + "(five files kept). The agent is scraped every 15 s (text, gzip, as Prometheus asks) and the kubelet's "
                + "`/metrics/cadvisor` is fetched directly after each scrape: the physical limit of that scrape. "
                + "%d s of warm-up under the same load, then %d s measured.\n\n",
                command, commit, date, machine.cpus(), machine.cpuModel(), machine.loadAverage(), machine.kernel(),
                machine.java(), String.join(" ", chart.options()), ChartJvm.describe(chart.environment()),
                AgentArchive.describe(AgentArchive.configured()),
                f.cadvisorSeries(), plan.containers(), plan.linesPerSecond(), plan.warmUp().toSeconds(),
                plan.duration().toSeconds()));
        Latencies agent = f.scrape().latencies();
        Latencies limit = f.fetch().latencies();
        double allowed = MetricsReport.P99_RATIO_GZIP * limit.millis(0.99);
        md.append("| scrapes | count | p50 ms | p99 ms | max ms | bytes on the wire |\n|---|---:|---:|---:|---:|---:|\n");
        md.append(format("| %s | %d | %.1f | %.1f | %.1f | %.2f MiB |\n", f.scrape().name(), agent.count(), agent.millis(0.5),
                agent.millis(0.99), agent.millis(1), agent.wireBytes() / MIB));
        md.append(format("| physical limit: %s | %d | %.1f | %.1f | %.1f | %.2f MiB |\n\n", f.fetch().name(), limit.count(),
                limit.millis(0.5), limit.millis(0.99), limit.millis(1), limit.wireBytes() / MIB));
        long lost = Math.max(0, f.written() - f.stored());
        long extra = Math.max(0, f.stored() - f.written());
        LogCounters logs = f.logs();
        md.append("| logs | value |\n|---|---:|\n");
        md.append(format("| lines written (warm-up included) | %,d |\n", f.written()));
        md.append(format("| lines written in the window / acknowledged in it | %,d / %,.0f |\n", f.writtenInWindow(), f.sentInWindow()));
        md.append(format("| documents in Elasticsearch at the end | %,d |\n", f.stored()));
        md.append(format("| lines lost / stored twice | %,d / %,d |\n", lost, extra));
        md.append(format("| from the last line written to its acknowledgement | %.1f s |\n", f.drainSeconds()));
        md.append(format("| read-to-acknowledged delay, from the window's start to the last acknowledgement: mean, p99 at most | %.2f s, %s |\n",
                logs.meanLatencySeconds(), seconds(logs.latencyUpperBound(0.99))));
        md.append(format("| files rotated after the warm-up (by the writer / seen by the agent) | %d / %.0f |\n", f.rotations(),
                logs.rotationsSeen()));
        md.append(format("| records spilled to disk / items retried | %,.0f / %,.0f |\n", logs.spilled(),
                logs.retried()));
        md.append(format("| writer ticks late (the load generator behind its rate) | %d |\n\n", f.late()));
        double window = plan.duration().toSeconds();
        md.append(format("Agent process over the window: %.1f CPU s (%.0f%% of one CPU; Elasticsearch %.1f CPU s), RSS median "
                + "%s and highest sample %s from the window's start to the last line acknowledged, peak (VmHWM, warm-up included) %s. Every 5 s of that span, lines written, records sent, lag, buffer and RSS are in "
                + "`timeline.tsv` in the run's directory.\n\n", f.agentCpuSeconds(),
                100 * f.agentCpuSeconds() / window, f.elasticsearchCpuSeconds(), mib(f.medianRssInWindow()),
                mib(f.maxRssInWindow()), mib(f.peakRss())));
        md.append("Targets (issue #21):\n");
        md.append(format("- peak RSS ≤ %s under the 512Mi limit: **%s** (%s)\n", mib(PEAK_RSS_BYTES),
                verdict(f.peakRss() <= PEAK_RSS_BYTES), mib(f.peakRss())));
        md.append(format("- no scrape slower than the full-node p99 target (%.0f× the limit's p99 with gzip, %.1f ms): "
                + "**%s** (slowest %.1f ms)\n", MetricsReport.P99_RATIO_GZIP, allowed, verdict(agent.millis(1) <= allowed),
                agent.millis(1)));
        md.append(format("- no line lost: **%s** (%,d of %,d stored, %,d twice)\n", verdict(lost == 0 && extra == 0),
                f.stored(), f.written(), extra));
        return md.toString();
    }

    private static final double MIB = 1024 * 1024;

    private static String mib(long bytes) {
        return format("%.1f MiB", bytes / MIB);
    }

    private static String seconds(double value) {
        return Double.isInfinite(value) ? "beyond the largest bucket" : format("%.2f s", value);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "missed";
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}

package io.vedetta.bench;

import static java.lang.String.format;

import io.vedetta.testkit.AgentArchive;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The figures of one {@code scripts/bench logs} run, written as the markdown section of BENCHMARKS.md. */
final class LogsReport {

    private static final double MIB = 1024 * 1024;
    private static final double GB = 1e9;

    /** One shipping run of the agent: wall and CPU seconds, peak RSS, CPU of other processes, bulk bytes sent. */
    record Run(double seconds, double cpuSeconds, long peakRssBytes, List<Double> othersCpuSeconds, double bulkBytes) {
    }

    private final String jvmOptions;
    private final String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    private Machine machine;
    private CriLogFile file;
    private long warmUpLines;
    private double catSeconds;
    private double loaderSeconds;
    private final String environment;
    private int repeats;
    private List<Run> discard;
    private double ceilingSeconds;
    private double ceilingNodeCpu;
    private Run elasticsearch;

    /**
     * @param jvmOptions  the agent's launch options: the Helm chart's, then any given on the command line
     * @param environment the image's environment the agent runs with
     */
    LogsReport(List<String> jvmOptions, Map<String, String> environment) {
        this.jvmOptions = String.join(" ", jvmOptions);
        this.environment = ChartJvm.describe(environment);
    }

    void machine(Machine value) {
        machine = value;
    }

    void file(CriLogFile value, long warmUp, int measuredRuns) {
        file = value;
        warmUpLines = warmUp;
        repeats = measuredRuns;
    }

    void catSeconds(double value) {
        catSeconds = value;
    }

    double catSeconds() {
        return catSeconds;
    }

    void loaderSeconds(double value) {
        loaderSeconds = value;
    }

    double loaderSeconds() {
        return loaderSeconds;
    }

    void discard(List<Run> value) {
        discard = value;
    }

    void ceiling(double seconds, double nodeCpuSeconds) {
        ceilingSeconds = seconds;
        ceilingNodeCpu = nodeCpuSeconds;
    }

    double ceilingSeconds() {
        return ceilingSeconds;
    }

    void elasticsearch(Run value) {
        elasticsearch = value;
    }

    static String summary(Run run, CriLogFile file) {
        return format("%.2f s, %,.0f lines/s, %.1f CPU-s/GB, peak RSS %.1f MiB", run.seconds(),
                file.lines() / run.seconds(), run.cpuSeconds() / (file.bytes() / GB), run.peakRssBytes() / MIB);
    }

    /** The middle value (the mean of the two middle ones for an even count). */
    private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    String markdown(String command, String commit) {
        StringBuilder md = new StringBuilder();
        md.append("## Logs: shipping one CRI file, to a discarding endpoint and into Elasticsearch\n\n");
        md.append(format("Command: `%s` (commit %s), run %s on %d CPUs (%s), load average %s before the run, "
                + "kernel %s, %s. The agent runs standalone (`kubernetes.enabled: false`, `logs.parseJson: true`, "
                + "otherwise defaults) with the Helm chart's JVM options, `-XX:MaxRAM` standing for its memory limit (`%s`), and the image's environment (`%s`), %s; it is started on an empty directory and ships %,d lines of warm-up "
                + "of the same kind first, in %d files one after another (so the JIT has compiled its pipeline, new files included, as in an agent that has run for a while), "
                + "then the file is linked into it and the clock runs until `vedetta_log_es_records_sent_total` reaches the files' record "
                + "count. To the discarding endpoint that is done %d times, with a copy of the file each time (a run of a few "
                + "seconds on 2 shared CPUs varies by 10-20%%: a late compilation, a full GC, the scheduler), and the "
                + "verdicts are on the median of the runs; into Elasticsearch once. CPU is user + system time from /proc over "
                + "that span; RSS is the process's peak so far (VmHWM), warm-up included.%n%n",
                command, commit, date, machine.cpus(), machine.cpuModel(), machine.loadAverage(), machine.kernel(),
                machine.java(), jvmOptions, environment,
                AgentArchive.describe(AgentArchive.configured()), warmUpLines, LogsBench.WARM_UP_FILES, repeats));
        md.append(format("The file: %,d CRI lines, %.1f MiB (%.0f bytes a line), about 10%% plain text, %,d partial "
                + "(`P`) lines each merged with the next, the rest JSON objects: %,d records.%n%n", file.lines(),
                file.bytes() / MIB, (double) file.bytes() / file.lines(), file.partialLines(), file.records()));
        md.append(format("To the discarding endpoint, in lines/s against the physical limit: `cat` reading the same "
                + "file plus the plain bulk loader sending its %,d records, prepared before its clock starts as documents "
                + "shaped like the agent's, each a `create` with its own `_id`, in requests of 2,000 with 4 in flight, "
                + "straight to a discarding endpoint of the same kind (best of %d each):%n%n", file.records(),
                LogsBench.LOADER_RUNS));
        md.append("| run | seconds | lines/s | MB/s | CPU-s per GB | peak RSS | lines/s / limit |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        double limitSeconds = catSeconds + loaderSeconds;
        double limitRate = file.lines() / limitSeconds;
        md.append(format("| `cat FILE > /dev/null` | %.3f | %,.0f | %.0f | | | |%n", catSeconds,
                file.lines() / catSeconds, file.bytes() / 1e6 / catSeconds));
        md.append(format("| plain bulk loader → discarding `_bulk` endpoint | %.3f | %,.0f | %.0f | | | |%n",
                loaderSeconds, file.lines() / loaderSeconds, file.bytes() / 1e6 / loaderSeconds));
        md.append(format("| physical limit: `cat` + plain bulk loader | %.3f | %,.0f | %.0f | | | 1 |%n", limitSeconds,
                limitRate, file.bytes() / 1e6 / limitSeconds));
        for (int i = 0; i < discard.size(); i++) {
            row(md, "agent → discarding `_bulk` endpoint, run " + (i + 1), discard.get(i), file.lines(), limitRate);
        }
        double seconds = median(discard, Run::seconds);
        double cpuSeconds = median(discard, Run::cpuSeconds);
        long peakRss = discard.stream().mapToLong(Run::peakRssBytes).max().orElseThrow();
        double bulkBytes = median(discard, Run::bulkBytes);
        row(md, "agent → discarding `_bulk` endpoint, median (RSS: peak)",
                new Run(seconds, cpuSeconds, peakRss, List.of(), bulkBytes), file.lines(), limitRate);
        double rate = file.lines() / seconds;
        double cpuPerGb = cpuSeconds / (file.bytes() / GB);
        double rssMib = peakRss / MIB;
        md.append(format("%nTo the discarding endpoint, median of %d runs: %,.0f lines/s (≥ 300,000: **%s**), %.1f CPU-s per GB "
                + "(≤ 20: **%s**), peak RSS %.1f MiB (≤ 100 MiB: **%s**); %.2f of the physical limit's %,.0f lines/s; %.1f MiB "
                + "of `_bulk` bodies sent per run.%n", discard.size(), rate,
                rate >= 300_000 ? "met" : "missed", cpuPerGb, cpuPerGb <= 20 ? "met" : "missed", rssMib,
                rssMib <= 100 ? "met" : "missed", rate / limitRate, limitRate, bulkBytes / MIB));
        if (elasticsearch != null) {
            double nodeRate = file.records() / ceilingSeconds;
            md.append(format("%nInto Elasticsearch (`-Xmx512m`, serial GC, one node on the same 2 CPUs), in records/s (the "
                    + "file's %,d records), against a plain bulk loader sending the same records, each a `create` with "
                    + "its own `_id` as the agent's:%n%n", file.records()));
            md.append("| run | seconds | records/s | MB/s | CPU-s per GB | peak RSS | records/s / ceiling |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|\n");
            md.append(format("| plain bulk loader → Elasticsearch: node ceiling | %.2f | %,.0f | %.1f | node %.1f | | 1 |%n",
                    ceilingSeconds, nodeRate, file.bytes() / 1e6 / ceilingSeconds, ceilingNodeCpu / (file.bytes() / GB)));
            row(md, "agent → Elasticsearch", elasticsearch, file.records(), nodeRate);
            double agentRecords = file.records() / elasticsearch.seconds();
            double nodeCpu = elasticsearch.othersCpuSeconds().get(0);
            md.append(format("%nThe agent delivered %,.0f records/s, %.2f of the %,.0f records/s of the plain loader "
                    + "(%d%% below at most is the target: **%s**); it used %.1f CPU-s and the node's JVM %.1f CPU-s over "
                    + "the agent's run, %.1f%% (≤ 5%% is the target: **%s**).%n", agentRecords, agentRecords / nodeRate,
                    nodeRate, 10, agentRecords >= 0.9 * nodeRate ? "met" : "missed", elasticsearch.cpuSeconds(),
                    nodeCpu, 100 * elasticsearch.cpuSeconds() / nodeCpu,
                    elasticsearch.cpuSeconds() <= 0.05 * nodeCpu ? "met" : "missed"));
        }
        return md.toString();
    }

    /** A row of {@code count} things (lines or records) in the run's time, against the ceiling's rate of them. */
    private void row(StringBuilder md, String name, Run run, long count, double ceilingRate) {
        double rate = count / run.seconds();
        md.append(format("| %s | %.2f | %,.0f | %.1f | %.1f | %.1f MiB | %.3f |%n", name, run.seconds(), rate,
                file.bytes() / 1e6 / run.seconds(), run.cpuSeconds() / (file.bytes() / GB), run.peakRssBytes() / MIB,
                rate / ceilingRate));
    }
}

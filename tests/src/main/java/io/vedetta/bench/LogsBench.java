package io.vedetta.bench;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/bench logs}: the agent in standalone mode shipping one CRI file from its head, (a) to an endpoint
 * that discards {@code _bulk} bodies and (b) into a real Elasticsearch node, against ceilings measured in the same
 * run: {@code cat FILE > /dev/null} plus a plain bulk loader sending the file's records straight to the discarding
 * endpoint (the physical limit), and a plain bulk loader into the same node. Prints a markdown report and puts it
 * in {@code BENCHMARKS.md}.
 */
public final class LogsBench {

    private static final PrintStream OUT = System.out;
    private static final String FILE_SUFFIX = "_bench_app-" + "c".repeat(64) + ".log";
    /**
     * The warm-up is shipped as several files, one after another: code the JIT compiled while one file was read
     * was deoptimised and compiled again when the next file started (first lines within the fingerprint, a new
     * file stage), so after a single warm-up file the measured file still paid for compilation.
     */
    static final int WARM_UP_FILES = 3;
    private static final Duration STALL = Duration.ofSeconds(120);
    /** Sends of the prepared records by the plain bulk loader, the fastest of which is the physical limit's half. */
    static final int LOADER_RUNS = 3;
    /**
     * The one series the benchmark polls: a whole scrape several times a second (JVM and node series included) cost
     * the agent a tenth of its CPU in the run into Elasticsearch and would be counted against it.
     */
    private static final String ONLY_RECORDS_SENT = "/metrics?name%5B%5D=vedetta_log_es_records_sent_total";

    private LogsBench() {
    }

    public static void main(String[] args) throws Exception {
        long lines = 1_000_000;
        // An agent runs for days. After 300,000 lines C2 was still compiling for most of the measured run (JFR
        // jdk.Compilation); code run per bulk request or per /metrics poll gets hot only after thousands of them.
        long warmUpLines = 3_000_000;
        int repeats = 3;
        Path dir = Path.of(".bench/logs").toAbsolutePath();
        Path report = AlertingSetup.repo().resolve("BENCHMARKS.md");
        String heap = null;
        boolean jfr = false;
        List<String> agentOptions = new ArrayList<>();
        boolean elasticsearch = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Long.parseLong(args[++i]);
                case "--warm-up-lines" -> warmUpLines = Long.parseLong(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]).toAbsolutePath();
                case "--report" -> report = Path.of(args[++i]).toAbsolutePath();
                case "--heap" -> heap = args[++i];
                case "--jfr" -> jfr = true;
                case "--agent-option" -> agentOptions.add(args[++i]);
                case "--no-elasticsearch" -> elasticsearch = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --lines N, --warm-up-lines N, --repeats N, --dir DIR, --report FILE, --heap SIZE, --agent-option -XX:..., --jfr, --no-elasticsearch");
            }
        }
        BenchDirectory.clean(dir);
        ChartJvm chart = ChartJvm.ofThisRepository();
        List<String> launch = chart.options();
        if (heap != null) {
            launch.add("-Xmx" + heap);
        }
        launch.addAll(agentOptions);
        LogsReport result = new LogsReport(launch, chart.environment());
        result.machine(Machine.describe());
        OUT.printf("writing %,d CRI lines...%n", lines);
        CriLogFile file = CriLogFile.write(dir.resolve("app-1" + FILE_SUFFIX), lines);
        List<CriLogFile> measured = new ArrayList<>(List.of(file));
        for (int i = 2; i <= repeats; i++) {
            measured.add(file.copyTo(dir.resolve("app-" + i + FILE_SUFFIX)));
        }
        List<CriLogFile> warmUp = new ArrayList<>();
        for (int i = 1; i <= WARM_UP_FILES; i++) {
            warmUp.add(CriLogFile.write(dir.resolve("warm-" + i + FILE_SUFFIX),
                    warmUpLines / WARM_UP_FILES));
        }
        result.file(file, warmUpLines, repeats);
        result.catSeconds(catSeconds(file));
        OUT.printf("cat: %.3f s%n", result.catSeconds());
        // An endpoint of its own, so the agent's endpoint counts only the agent's documents.
        try (DiscardBulkEndpoint direct = new DiscardBulkEndpoint()) {
            result.loaderSeconds(new PlainBulkLoader(direct.url(), "logs-kubernetes.container-limit")
                    .fastest(file, LOADER_RUNS));
        }
        OUT.printf("plain bulk loader to the discard endpoint: %.3f s%n", result.loaderSeconds());
        List<String> jvm = jvmOptions(launch, jfr, dir.resolve("agent-discard"));
        try (DiscardBulkEndpoint endpoint = new DiscardBulkEndpoint()) {
            result.discard(ship(dir.resolve("agent-discard"), warmUp, measured, endpoint.url(), false, jvm,
                    chart.environment(), new long[0]));
            if (endpoint.items() < records(measured) + records(warmUp)) {
                throw new IllegalStateException("the discard endpoint got " + endpoint.items() + " documents of "
                        + (records(measured) + records(warmUp)));
            }
        }
        if (elasticsearch) {
            try (ElasticsearchProcess node = ElasticsearchProcess.start()) {
                Path agentDir = dir.resolve("agent-es");
                ProcessUsage.CpuSpan nodeUsage = ProcessUsage.CpuSpan.start(node.pid());
                double seconds = new PlainBulkLoader(node.url(), "logs-kubernetes.container-ceiling").load(file);
                result.ceiling(seconds, nodeUsage.stop().cpuSeconds(node.pid()));
                OUT.printf("plain bulk loader: %.1f s%n", result.ceilingSeconds());
                result.elasticsearch(ship(agentDir, warmUp, List.of(file), node.url(), true,
                        jvmOptions(launch, jfr, agentDir), chart.environment(), new long[] {node.pid()}).get(0));
            }
        }
        BenchmarksFile.publish(report, "logs", result::markdown);
        deleteLogFiles(dir);
        System.exit(0);
    }

    /**
     * The generated files and the agents' links to them, about 200 MiB a million lines each: a few runs with their own
     * {@code --dir} filled a disk. The agents' logs, state and recordings stay.
     */
    private static void deleteLogFiles(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.filter(p -> p.getFileName().toString().endsWith(FILE_SUFFIX)).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The best of three reads of the file, which the page cache holds as it holds it for the agent. */
    private static double catSeconds(CriLogFile file) throws IOException, InterruptedException {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Process cat = new ProcessBuilder("cat", file.path().toString())
                    .redirectOutput(new File("/dev/null")).start();
            if (cat.waitFor() != 0) {
                throw new IllegalStateException("cat " + file.path() + " failed");
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    /**
     * Starts the agent on an empty directory and lets it ship the warm-up files, so that the JIT has compiled the
     * pipeline as in an agent that has run for a while; then links each measured file into the directory in turn and
     * times the agent from there until Elasticsearch (or the endpoint) has acknowledged every record of it; CPU of the
     * agent and of {@code others} over the same span. Peak RSS is the process's so far, so it covers the warm-up.
     */
    private static List<LogsReport.Run> ship(Path agentDir, List<CriLogFile> warmUp, List<CriLogFile> measured,
            String url, boolean template, List<String> jvm, Map<String, String> env, long[] others) throws IOException {
        Path containers = Files.createDirectories(agentDir.resolve("containers"));
        try (AgentProcess agent = AgentProcess.start(agentDir, """
                kubernetes: {enabled: false}
                metrics:
                  kubelet: {enabled: false}
                logs:
                  enabled: true
                  paths: ["%1$s/*.log"]
                  stateDir: %2$s/state
                  readFrom: head
                  parseJson: true
                  podWait: 0s
                elasticsearch:
                  urls: ["%3$s"]
                  template: {install: %4$s}
                logging:
                  format: text
                """.formatted(containers, agentDir, url, template), env, jvm)) {
            if (template) {
                awaitTemplate(url);
            }
            long shipped = 0;
            for (CriLogFile part : warmUp) {
                Files.createLink(containers.resolve(part.path().getFileName()), part.path());
                shipped += part.records();
                awaitRecords(agent, shipped, System.nanoTime());
            }
            long pid = agent.process().pid();
            long[] pids = new long[others.length + 1];
            pids[0] = pid;
            System.arraycopy(others, 0, pids, 1, others.length);
            List<LogsReport.Run> runs = new ArrayList<>();
            double bulkBytesBefore = bulkBytes(agent);
            for (CriLogFile file : measured) {
                ProcessUsage.CpuSpan usage = ProcessUsage.CpuSpan.start(pids);
                long start = System.nanoTime();
                Files.createLink(containers.resolve(file.path().getFileName()), file.path());
                shipped += file.records();
                awaitRecords(agent, shipped, start);
                double seconds = (System.nanoTime() - start) / 1e9;
                usage.stop();
                List<Double> othersCpu = new ArrayList<>();
                for (long other : others) {
                    othersCpu.add(usage.cpuSeconds(other));
                }
                double bulkBytes = bulkBytes(agent);
                LogsReport.Run run = new LogsReport.Run(seconds, usage.cpuSeconds(pid), ProcessUsage.peakRssBytes(pid),
                        othersCpu, bulkBytes - bulkBytesBefore);
                bulkBytesBefore = bulkBytes;
                runs.add(run);
                OUT.println((template ? "into Elasticsearch: " : "to the discard endpoint: ")
                        + LogsReport.summary(run, file));
            }
            return runs;
        }
    }

    private static double bulkBytes(AgentProcess agent) {
        return Exposition.value(Http.get(agent.url() + "/metrics").body(), "vedetta_log_es_sent_bytes_total");
    }

    private static long records(List<CriLogFile> files) {
        return files.stream().mapToLong(CriLogFile::records).sum();
    }

    private static void awaitTemplate(String url) {
        if (!Http.await(Duration.ofSeconds(60), () -> Http.get(url + "/_index_template/vedetta-logs").status() == 200)) {
            throw new IllegalStateException("the agent did not install its index template within 60 s");
        }
    }

    /**
     * Polls the agent until it has sent {@code records}. Each poll is a {@code /metrics} request the agent answers
     * on the CPU this benchmark charges it for: five a second were 7-10% of its CPU into Elasticsearch (its
     * {@code http} and {@code vedetta-metric-source} threads). So polls are spaced by half the time the records
     * left should take at the rate seen since the last change, between 20 ms and 1 s: the end is seen as closely
     * as before, with a fraction of the polls.
     */
    private static void awaitRecords(AgentProcess agent, long records, long start) {
        double last = -1;
        long lastChange = System.nanoTime();
        long pauseMillis = 200;
        while (true) {
            double sent = Exposition.value(Http.get(agent.url() + ONLY_RECORDS_SENT).body(),
                    "vedetta_log_es_records_sent_total");
            if (sent >= records) {
                return;
            }
            long now = System.nanoTime();
            if (sent != last) {
                if (last >= 0) {
                    double perMilli = (sent - last) / ((now - lastChange) / 1e6);
                    pauseMillis = Math.max(20, Math.min(1000, (long) ((records - sent) / perMilli / 2)));
                }
                last = sent;
                lastChange = now;
            } else if (now - lastChange > STALL.toNanos()) {
                throw agent.process().failure("stalled at " + sent + " of " + records + " records after "
                        + (now - start) / 1_000_000_000 + " s");
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    /** The agent's launch options; with {@code jfr}, the agent records a Java Flight Recorder profile into its directory, for finding hot spots. */
    private static List<String> jvmOptions(List<String> launch, boolean jfr, Path agentDir) {
        List<String> options = new ArrayList<>(launch);
        if (jfr) {
            options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + agentDir.resolve("agent.jfr"));
        }
        return options;
    }
}

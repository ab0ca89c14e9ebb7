package io.vedetta.bench;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.ManagedProcess;
import io.vedetta.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code scripts/bench metrics}: the agent's scrape cost on a full node and, in the same run, its node series
 * against {@code prometheus-node-exporter} on this host. Targets of one phase are scraped in turn, in a rotating
 * order, so that the machine's noise falls on all of them alike; figures are also given as ratios to a baseline
 * measured alongside. Prints a markdown report and puts it in {@code BENCHMARKS.md}.
 */
public final class MetricsBench {

    private static final PrintStream OUT = System.out;
    private static final String NODE = "bench-node";
    /** Held so the setting sticks: the mock server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    /** node_exporter's collectors that the agent's node source covers; the rest of its defaults are off. */
    static final List<String> NODE_EXPORTER_COLLECTORS = List.of("--collector.disable-defaults",
            "--collector.cpu", "--collector.stat", "--collector.meminfo", "--collector.loadavg",
            "--collector.filesystem", "--collector.netdev", "--collector.diskstats", "--collector.uname",
            "--collector.pressure");

    static final ChartJvm CHART = chartJvm();
    /** The agent's JVM as the Helm chart runs it: its {@code javaOptions} at its memory limit. */
    static final List<String> AGENT_JVM = List.copyOf(CHART.options());

    private MetricsBench() {
    }

    /** What every agent of one run is started with, and how long each phase scrapes. */
    private record Launch(Path dir, int scrapes, int nodeScrapes, Duration warmUp, boolean jfr, List<String> agentOptions) {

        List<String> jvm() {
            List<String> all = new ArrayList<>(AGENT_JVM);
            all.addAll(agentOptions);
            return all;
        }
    }

    private static String part(String value) {
        if (!value.equals("full") && !value.equals("node")) {
            throw new IllegalArgumentException("--only takes full (the full node) or node (node series), not " + value);
        }
        return value;
    }

    private static ChartJvm chartJvm() {
        try {
            return ChartJvm.ofThisRepository();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        int scrapes = 200;
        // A node scrape takes a few milliseconds: 200 of them put the p99 on the second-slowest, which one
        // scheduler hiccup in a 3 s run decides; 2,000 put it on the twentieth.
        int nodeScrapes = 2000;
        Duration warmUp = Duration.ofSeconds(30);
        Path dir = Path.of(".bench").toAbsolutePath();
        Path report = AlertingSetup.repo().resolve("BENCHMARKS.md");
        Path partReport = null;
        String only = null;
        boolean jfr = false;
        List<String> agentOptions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scrapes" -> scrapes = Integer.parseInt(args[++i]);
                case "--node-scrapes" -> nodeScrapes = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUp = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
                case "--dir" -> dir = Path.of(args[++i]).toAbsolutePath();
                case "--report" -> report = partReport = Path.of(args[++i]).toAbsolutePath();
                case "--only" -> only = part(args[++i]);
                case "--agent-option" -> agentOptions.add(args[++i]);
                case "--jfr" -> jfr = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --scrapes N, --node-scrapes N, --warm-up 30s, --only full|node, --agent-option OPT, --dir DIR, "
                        + "--report FILE, --jfr");
            }
        }
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        BenchDirectory.clean(dir);
        MetricsReport result = new MetricsReport(scrapes, nodeScrapes, warmUp, agentOptions);
        result.machine(Machine.describe());
        Launch launch = new Launch(dir, scrapes, nodeScrapes, warmUp, jfr, agentOptions);
        if (!"node".equals(only)) {
            fullNode(launch, result);
        }
        if (!"full".equals(only)) {
            nodeSeries(launch, result);
        }
        // One part alone would replace both of BENCHMARKS.md's tables with one: it goes to its own file unless told.
        BenchmarksFile.publish(only == null || partReport != null ? report : dir.resolve("metrics-" + only + ".md"),
                "metrics", result::markdown);
        System.exit(0);
    }

    /**
     * The agent on a full node, all default sources on, against fetching the kubelet's cAdvisor response directly.
     * Scrapes follow each other without a pause, so the agents share no collection between them
     * ({@code shareWindow: 0s}): each measured scrape pays for its own, as a lone Prometheus's does.
     */
    private static void fullNode(Launch launch, MetricsReport result) throws IOException {
        Path dir = launch.dir();
        OUT.printf("full node: %d pods x %d containers...%n", FullNode.PODS, FullNode.CONTAINERS);
        try (FullNode node = new FullNode(NODE);
                AgentProcess agent = AgentProcess.start(dir.resolve("agent-full"), """
                        kubernetes:
                          apiServer: %s
                        metrics:
                          kubelet:
                            url: %s
                            caFile: ""
                            tokenFile: ""
                          sources:
                            shareWindow: 0s
                        logging:
                          format: text
                        """.formatted(node.apiServerUrl(), node.kubeletUrl()),
                        agentEnvironment(dir.resolve("agent-full"), launch.jfr(), Map.of("NODE_NAME", NODE)),
                        launch.jvm())) {
            awaitPods(agent);
            String metrics = agent.url() + "/metrics";
            Target baseline = new Target("physical limit: the simulated kubelet's /metrics/cadvisor, text", node.kubeletUrl()
                    + "/metrics/cadvisor", Target.TEXT, false);
            List<Target> targets = List.of(
                    new Target("agent, text", metrics, Target.TEXT, false),
                    new Target("agent, text + gzip", metrics, Target.TEXT, true),
                    new Target("agent, protobuf", metrics, Target.PROTOBUF, false),
                    new Target("agent, protobuf + gzip", metrics, Target.PROTOBUF, true),
                    baseline);
            String exposition = new String(targets.get(0).scrape(true), StandardCharsets.UTF_8);
            Exposition.requireHealthySources(exposition);
            long pid = agent.process().pid();
            ProcessUsage.CpuSpan usage = run(targets, launch.scrapes(), launch, dir.resolve("scrapes-full.tsv"), pid);
            Exposition.requireHealthySources(new String(targets.get(0).scrape(true), StandardCharsets.UTF_8));
            result.fullNode(new MetricsReport.FullNodeFigures(node.cadvisorSeries(), node.cadvisorBytes(),
                    Exposition.seriesCount(exposition), Exposition.podCount(exposition), targets, baseline,
                    usage.cpuSeconds(pid), 4 * launch.scrapes(), ProcessUsage.rssBytes(pid), ProcessUsage.peakRssBytes(pid)));
        }
    }

    /** The agent with only its node source against node_exporter with the matching collectors. */
    private static void nodeSeries(Launch launch, MetricsReport result) throws IOException {
        Path dir = launch.dir();
        OUT.println("node series: agent (node source only) and prometheus-node-exporter...");
        int exporterPort = Ports.free();
        List<String> command = new ArrayList<>(List.of("prometheus-node-exporter",
                "--web.listen-address=127.0.0.1:" + exporterPort));
        command.addAll(NODE_EXPORTER_COLLECTORS);
        Files.createDirectories(dir.resolve("node-exporter"));
        try (AgentProcess agent = AgentProcess.start(dir.resolve("agent-node"), """
                kubernetes:
                  enabled: false
                metrics:
                  kubelet:
                    enabled: false
                  sources:
                    shareWindow: 0s
                logging:
                  format: text
                """, agentEnvironment(dir.resolve("agent-node"), launch.jfr(), Map.of()), launch.jvm());
                ManagedProcess exporter = new ManagedProcess("prometheus-node-exporter", command, Map.of(),
                        dir.resolve("node-exporter/node-exporter.log"))) {
            String exporterUrl = "http://127.0.0.1:" + exporterPort + "/metrics";
            if (!Http.await(Duration.ofSeconds(20), () -> !exporter.isAlive() || Http.get(exporterUrl).status() == 200)
                    || !exporter.isAlive()) {
                throw exporter.failure("did not answer " + exporterUrl);
            }
            String agentUrl = agent.url() + "/metrics";
            List<Target> agentTargets = List.of(
                    new Target("agent, text", agentUrl, Target.TEXT, false),
                    new Target("agent, text + gzip", agentUrl, Target.TEXT, true),
                    new Target("agent, protobuf", agentUrl, Target.PROTOBUF, false));
            List<Target> exporterTargets = List.of(
                    new Target("node_exporter, text", exporterUrl, Target.TEXT, false),
                    new Target("node_exporter, text + gzip", exporterUrl, Target.TEXT, true),
                    new Target("node_exporter, protobuf", exporterUrl, Target.PROTOBUF, false));
            List<Target> all = new ArrayList<>(agentTargets);
            all.addAll(exporterTargets);
            String agentText = new String(agentTargets.get(0).scrape(true), StandardCharsets.UTF_8);
            String exporterText = new String(exporterTargets.get(0).scrape(true), StandardCharsets.UTF_8);
            Exposition.requireHealthySources(agentText);
            ProcessUsage.CpuSpan usage = run(all, launch.nodeScrapes(), launch, dir.resolve("scrapes-node.tsv"),
                    agent.process().pid(), exporter.pid());
            result.nodeSeries(new MetricsReport.NodeSeriesFigures(agentTargets, exporterTargets,
                    Exposition.seriesCount(agentText, "node_"), Exposition.seriesCount(exporterText, "node_"),
                    Exposition.seriesCount(agentText), Exposition.seriesCount(exporterText),
                    usage.cpuSeconds(agent.process().pid()), usage.cpuSeconds(exporter.pid()), 3 * launch.nodeScrapes(),
                    ProcessUsage.rssBytes(agent.process().pid()), ProcessUsage.rssBytes(exporter.pid()),
                    Machine.version("prometheus-node-exporter")));
        }
    }

    /**
     * The image's environment plus {@code env}; with {@code jfr}, the agent records a Java Flight Recorder profile
     * into its directory, for finding hot spots.
     */
    private static Map<String, String> agentEnvironment(Path agentDir, boolean jfr, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(CHART.environment());
        all.putAll(env);
        if (jfr) {
            all.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + agentDir.resolve("agent.jfr"));
        }
        return all;
    }

    /** Waits until the agent's pod cache holds every pod of the full node, so that every scrape serves them all. */
    static void awaitPods(AgentProcess agent) {
        boolean synced = Http.await(Duration.ofSeconds(60), () -> {
            Http.Response r = Http.get(agent.url() + "/metrics");
            return r.status() == 200 && Exposition.value(r.body(), "vedetta_kube_pods") >= FullNode.PODS;
        });
        if (!synced) {
            throw agent.process().failure("did not report " + FullNode.PODS + " pods in vedetta_kube_pods within 60s");
        }
    }

    /**
     * Rounds over every target for the warm-up, so that the JIT has compiled the scrape path as in an agent that
     * has run for a while, then the measured rounds in a rotating order; CPU seconds of the measured ones, and the
     * first process's (the agent's) CPU during each target's scrapes. Each
     * measured scrape's start (wall clock) and duration go to {@code timings}, to set the slow ones beside an
     * agent's GC log ({@code --agent-option -Xlog:gc:file=...:time}).
     */
    private static ProcessUsage.CpuSpan run(List<Target> targets, int rounds, Launch launch, Path timings,
            long... pids) throws IOException {
        long warmUntil = System.nanoTime() + launch.warmUp().toNanos();
        do {
            targets.forEach(t -> t.scrape(true));
        } while (System.nanoTime() < warmUntil);
        StringBuilder tsv = new StringBuilder("start\ttarget\tms\n");
        ProcessUsage.CpuSpan usage = ProcessUsage.CpuSpan.start(pids);
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < targets.size(); i++) {
                Target target = targets.get((round + i) % targets.size());
                Instant start = Instant.now();
                double cpuBefore = ProcessUsage.cpuSeconds(pids[0]);
                target.scrape(false);
                target.addAgentCpu(ProcessUsage.cpuSeconds(pids[0]) - cpuBefore);
                tsv.append(start).append('\t').append(target.name()).append('\t')
                        .append(String.format(Locale.ROOT, "%.3f", target.latencies().lastMillis())).append('\n');
            }
            if ((round + 1) % (rounds / 4 == 0 ? 1 : rounds / 4) == 0) {
                OUT.printf("  %d/%d rounds%n", round + 1, rounds);
            }
        }
        ProcessUsage.CpuSpan stopped = usage.stop();
        Files.writeString(timings, tsv);
        return stopped;
    }
}

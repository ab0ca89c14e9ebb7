package io.vedetta.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.ContainerLogs;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SimulatedCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/bench combined}: both of the agent's jobs at once, as the chart runs them (pod discovery, the
 * kubelet, node and pod-state metrics, the cluster collector, logs into Elasticsearch, under the chart's JVM options
 * and memory limit): a full node scraped every 15 s as Prometheus scrapes it, while the node's containers write
 * lines at a steady rate, rotated as the kubelet rotates them, into a real Elasticsearch. Judged on the agent's peak
 * RSS, its slowest scrape against the full-node target (the kubelet fetched directly after each scrape is the
 * baseline) and every written line found in Elasticsearch once.
 */
public final class CombinedBench {

    private static final PrintStream OUT = System.out;
    private static final String NODE = "bench-node";
    private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(15);
    private static final Duration DRAIN_STALL = Duration.ofSeconds(120);
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
    private static final String ONLY_RECORDS_SENT = "/metrics?name%5B%5D=vedetta_log_es_records_sent_total";
    private static final HttpClient ELASTICSEARCH = HttpClient.newHttpClient();

    private CombinedBench() {
    }

    /** What one run is asked to do. */
    record Plan(int linesPerSecond, int containers, Duration warmUp, Duration duration, Path dir) {
    }

    public static void main(String[] args) throws Exception {
        int rate = 10_000;
        int containers = 20;
        Duration warmUp = Duration.ofSeconds(60);
        Duration duration = Duration.ofMinutes(10);
        Path dir = Path.of(".bench/combined").toAbsolutePath();
        Path report = AlertingSetup.repo().resolve("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--containers" -> containers = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUp = seconds(args[++i]);
                case "--duration" -> duration = seconds(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]).toAbsolutePath();
                case "--report" -> report = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --rate LINES_PER_SECOND, --containers N, --warm-up 60s, --duration 600s, --dir DIR, --report FILE");
            }
        }
        if (containers < 1 || containers > FullNode.PODS) {
            throw new IllegalArgumentException("--containers must be 1.." + FullNode.PODS + ", not " + containers);
        }
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        BenchDirectory.clean(dir);
        Plan plan = new Plan(rate, containers, warmUp, duration, dir);
        CombinedReport result = new CombinedReport(plan, MetricsBench.CHART, Machine.describe());
        run(plan, result);
        BenchmarksFile.publish(report, "combined", result::markdown);
        System.exit(0);
    }

    private static Duration seconds(String value) {
        return Duration.ofSeconds(Long.parseLong(value.replaceFirst("s$", "")));
    }

    private static void run(Plan plan, CombinedReport result) throws IOException, InterruptedException {
        Path logsRoot = plan.dir().resolve("logs");
        ContainerLogs logs = new ContainerLogs(logsRoot);
        try (ElasticsearchProcess elasticsearch = ElasticsearchProcess.start();
                FullNode node = new FullNode(NODE)) {
            node.node().addRunningPod(AlertingSetup.AGENT_NAMESPACE, AlertingSetup.agentPod(NODE), "vedetta", "agent");
            new SimulatedCluster(node.node().client()).typical(NODE);
            List<Path> files = new ArrayList<>();
            for (Pod pod : node.pods().subList(0, plan.containers())) {
                files.add(logs.fileOf(pod, "main"));
            }
            Map<String, String> env = new HashMap<>(MetricsBench.CHART.environment());
            env.putAll(Map.of("NODE_NAME", NODE, "POD_NAME", AlertingSetup.agentPod(NODE),
                    "POD_NAMESPACE", AlertingSetup.AGENT_NAMESPACE));
            try (AgentProcess agent = AgentProcess.start(plan.dir().resolve("agent"), agentConfig(node, logsRoot,
                    plan.dir().resolve("agent"), elasticsearch.url()), env, MetricsBench.AGENT_JVM);
                    PacedLogWriter writer = new PacedLogWriter(files, plan.linesPerSecond())) {
                MetricsBench.awaitPods(agent);
                long pid = agent.process().pid();
                Target scrape = new Target("agent, text + gzip", agent.url() + "/metrics", Target.TEXT, true);
                Target fetch = new Target("the kubelet's /metrics/cadvisor fetched directly, text",
                        node.kubeletUrl() + "/metrics/cadvisor", Target.TEXT, false);
                writer.start();
                OUT.printf("warm-up: %d lines/s into %d containers, a scrape every %d s, for %d s...%n",
                        plan.linesPerSecond(), plan.containers(), SCRAPE_INTERVAL.toSeconds(), plan.warmUp().toSeconds());
                scrapeEvery(SCRAPE_INTERVAL, plan.warmUp(), scrape, fetch, true, agent);
                OUT.printf("measuring for %d s...%n", plan.duration().toSeconds());
                Timeline timeline = new Timeline(agent, writer::written, plan.dir().resolve("timeline.tsv"));
                ProcessUsage.CpuSpan cpu = ProcessUsage.CpuSpan.start(pid, elasticsearch.pid());
                long writtenBefore = writer.written();
                long rotationsBefore = writer.rotations();
                double sentBefore = recordsSent(agent);
                LogCounters countersBefore = LogCounters.of(agent);
                scrapeEvery(SCRAPE_INTERVAL, plan.duration(), scrape, fetch, false, agent);
                writer.stop();
                cpu.stop();
                double sentInWindow = recordsSent(agent) - sentBefore;
                long written = writer.written();
                OUT.printf("wrote %,d lines (%,d in the window); waiting for the agent to send them all...%n",
                        written, written - writtenBefore);
                long drainStart = System.nanoTime();
                awaitSent(agent, written);
                double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
                timeline.close();
                long stored = storedLines(elasticsearch.url());
                result.figures(new CombinedReport.Figures(written, written - writtenBefore, sentInWindow,
                        stored, drainSeconds, writer.rotations() - rotationsBefore, writer.lateTicks(), scrape, fetch,
                        node.cadvisorSeries(), cpu.cpuSeconds(pid), cpu.cpuSeconds(elasticsearch.pid()),
                        ProcessUsage.peakRssBytes(pid), timeline.maxRss(), timeline.medianRss(),
                        LogCounters.of(agent).since(countersBefore)));
            }
        }
    }

    /**
     * The agent's configuration as the chart runs it on {@code node}: pod discovery, the kubelet's metrics, the
     * cluster collector, and the logs under {@code logsRoot} into Elasticsearch at {@code elasticsearchUrl}.
     */
    static String agentConfig(FullNode node, Path logsRoot, Path agentDir, String elasticsearchUrl) {
        return """
                kubernetes:
                  apiServer: %1$s
                metrics:
                  kubelet:
                    url: %2$s
                    caFile: ""
                    tokenFile: ""
                logs:
                  enabled: true
                  paths: ["%3$s/containers/*.log"]
                  allowedRoots: ["%3$s"]
                  stateDir: %4$s/state
                elasticsearch:
                  urls: ["%5$s"]
                cluster:
                  enabled: true
                logging:
                  format: text
                """.formatted(node.apiServerUrl(), node.kubeletUrl(), logsRoot, agentDir, elasticsearchUrl);
    }

    /**
     * Scrapes the agent every {@code interval} for {@code span}, then fetches the kubelet's response directly (the
     * physical limit of that scrape), as one Prometheus scrapes one target; each agent scrape must have every
     * source up, or its timing would flatter a source that gave up.
     */
    private static void scrapeEvery(Duration interval, Duration span, Target scrape, Target fetch, boolean warmUp,
            AgentProcess agent) throws InterruptedException {
        long end = System.nanoTime() + span.toNanos();
        long next = System.nanoTime();
        int done = 0;
        while (next < end) {
            Exposition.requireHealthySources(new String(scrape.scrape(warmUp), StandardCharsets.UTF_8));
            fetch.scrape(warmUp);
            done++;
            if (!warmUp && done % 8 == 0) {
                OUT.printf("  %d scrapes, agent p99 so far %.1f ms, RSS %d MiB%n", done, scrape.latencies().millis(0.99),
                        ProcessUsage.rssBytes(agent.process().pid()) >> 20);
            }
            next += interval.toNanos();
            long pause = Math.min(next, end) - System.nanoTime();
            if (pause > 0) {
                Thread.sleep(pause / 1_000_000);
            }
        }
    }

    private static double recordsSent(AgentProcess agent) {
        return Exposition.value(Http.get(agent.url() + ONLY_RECORDS_SENT).body(), "vedetta_log_es_records_sent_total");
    }

    /** Waits until the agent has had {@code records} acknowledged, failing when the count stops moving. */
    private static void awaitSent(AgentProcess agent, long records) throws InterruptedException {
        double last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            double sent = recordsSent(agent);
            if (sent >= records) {
                return;
            }
            if (sent != last) {
                last = sent;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > DRAIN_STALL.toNanos()) {
                throw agent.process().failure("stalled at " + (long) sent + " of " + records + " records");
            }
            Thread.sleep(500);
        }
    }

    /** Documents in the containers' data streams, once Elasticsearch has made every acknowledged one searchable. */
    private static long storedLines(String url) throws IOException, InterruptedException {
        String streams = url + "/logs-kubernetes.container-*";
        HttpResponse<String> refresh = ELASTICSEARCH.send(HttpRequest.newBuilder(URI.create(streams + "/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> count = ELASTICSEARCH.send(HttpRequest.newBuilder(URI.create(streams + "/_count")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = COUNT.matcher(count.body());
        if (refresh.statusCode() != 200 || count.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("cannot count the stored lines: refresh " + refresh.statusCode() + " "
                    + refresh.body() + ", count " + count.statusCode() + " " + count.body());
        }
        return Long.parseLong(m.group(1));
    }
}

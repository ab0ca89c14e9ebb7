package io.vedetta.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.testkit.AgentArchive;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.ContainerLogs;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SimulatedCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Writes the class list the agent's class-data sharing archive is dumped from ({@link AgentArchive#CLASS_LIST}):
 * the classes the packaged agent loads in each of its configurations, JDK classes included (an application archive
 * replaces the JDK's own). The packaged agent runs three times against a full node's simulated kubelet and API server
 * and a real Elasticsearch: as the chart runs it by default (pod discovery, the kubelet's metrics in every scrape format
 * with and without gzip, the cluster collector, its pods' logs shipped), with logs only (Kubernetes off, as
 * {@code scripts/bench logs} runs it), and with metrics only (as {@code scripts/bench metrics} runs it); each ends with a
 * graceful stop.
 *
 * <p>The list keeps what all three loaded. JDK 17 relocates an archive at every start (since 17.0.x
 * {@code ArchiveRelocationMode=1}, so that its address is random), which writes to every page of it: an archived
 * class costs its share of the archive in every agent whether or not that agent loads it, and the classes only one
 * configuration loads would cost the others more than they save (a list of all the classes of the chart's default took
 * a logs-only agent's peak RSS from 146-148 to 168-169 MiB). Run by {@code scripts/class-list}; commit the file it
 * writes.
 */
public final class StartupClassList {

    private static final PrintStream OUT = System.out;
    private static final String NODE = "class-list-node";
    private static final int LOG_FILES = 10;
    private static final int LINES_PER_FILE = 20_000;
    private static final Pattern GENERATED_PROXY = Pattern.compile("^\\S*\\$Proxy\\d+$");

    private StartupClassList() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("vedetta-class-list");
        Path out = args.length > 0 ? Path.of(args[0]) : AlertingSetup.repo().resolve(AgentArchive.CLASS_LIST);
        Map<String, List<String>> loaded = run(dir);
        List<String> header = List.of(
                "# The classes of the agent's class-data sharing archive (Dockerfile, AgentArchive): what the packaged",
                "# agent loaded in each of three runs: as the chart runs it, with logs only and with metrics only",
                "# (scripts/class-list writes this file from -XX:DumpLoadedClassList, less the generated proxy classes;",
                "# ClassListTest checks that every class it names exists).");
        List<String> kept = new ArrayList<>(header);
        Set<String> everywhere = null;
        for (List<String> lines : loaded.values()) {
            if (everywhere == null) {
                everywhere = new LinkedHashSet<>(lines);
            } else {
                everywhere.retainAll(Set.copyOf(lines));
            }
        }
        // Dynamic proxies are generated at run time, under names that depend on the order they are made: JDK 17's
        // -Xshare:dump cannot load them from a class file, so they stay out.
        everywhere.stream().filter(line -> !line.startsWith("#") && !GENERATED_PROXY.matcher(line).find())
                .forEach(kept::add);
        Files.write(out, kept);
        loaded.forEach((name, lines) -> OUT.printf("%s: %,d classes and lambda entries%n", name, lines.size()));
        OUT.printf("%,d loaded by all of them written to %s%n", kept.size() - header.size(), out);
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        System.exit(0);
    }

    /** The lines of each configuration's list, the chart's default first (the kept list follows its order). */
    private static Map<String, List<String>> run(Path dir) throws IOException {
        ContainerLogs logs = new ContainerLogs(dir.resolve("logs"));
        Map<String, List<String>> loaded = new LinkedHashMap<>();
        try (ElasticsearchProcess elasticsearch = ElasticsearchProcess.start();
                FullNode node = new FullNode(NODE)) {
            node.node().addRunningPod(AlertingSetup.AGENT_NAMESPACE, AlertingSetup.agentPod(NODE), "vedetta", "agent");
            new SimulatedCluster(node.node().client()).typical(NODE);
            List<Pod> logged = node.pods().subList(0, LOG_FILES);
            Path chart = dir.resolve("chart");
            loaded.put("the chart's default", profile(chart,
                    CombinedBench.agentConfig(node, logs.root(), chart, elasticsearch.url()), agent -> {
                        MetricsBench.awaitPods(agent);
                        writeLogs(logs, logged, 0);
                        scrapeEveryFormat(agent);
                        awaitShipped(agent, (long) LOG_FILES * LINES_PER_FILE);
                    }));
            Path logsOnly = dir.resolve("logs-only");
            loaded.put("logs only", profile(logsOnly, """
                    kubernetes: {enabled: false}
                    metrics:
                      kubelet: {enabled: false}
                    logs:
                      enabled: true
                      paths: ["%1$s/containers/*.log"]
                      allowedRoots: ["%1$s"]
                      stateDir: %2$s/state
                      readFrom: head
                      parseJson: true
                      podWait: 0s
                    elasticsearch:
                      urls: ["%3$s"]
                    logging:
                      format: text
                    """.formatted(logs.root(), logsOnly, elasticsearch.url()), agent -> {
                        writeLogs(logs, logged, 1);
                        Http.get(agent.url() + "/metrics");
                        awaitShipped(agent, 2L * LOG_FILES * LINES_PER_FILE);
                    }));
            loaded.put("metrics only", profile(dir.resolve("metrics"), """
                    kubernetes:
                      apiServer: %s
                    metrics:
                      kubelet:
                        url: %s
                        caFile: ""
                        tokenFile: ""
                    logging:
                      format: text
                    """.formatted(node.apiServerUrl(), node.kubeletUrl()), agent -> {
                        MetricsBench.awaitPods(agent);
                        scrapeEveryFormat(agent);
                    }));
        }
        return loaded;
    }

    /** Runs the packaged agent with {@code config} through {@code workload} and a graceful stop; what it loaded. */
    private static List<String> profile(Path agentDir, String config, Consumer<AgentProcess> workload)
            throws IOException {
        Path classList = agentDir.resolve("loaded-classes.txt");
        Map<String, String> env = new HashMap<>(MetricsBench.CHART.environment());
        env.putAll(Map.of("NODE_NAME", NODE, "POD_NAME", AlertingSetup.agentPod(NODE),
                "POD_NAMESPACE", AlertingSetup.AGENT_NAMESPACE));
        List<String> jvm = new ArrayList<>(MetricsBench.AGENT_JVM);
        // No archive of its own while the list is made: the list is what the archive is made from.
        jvm.addAll(List.of("-Xshare:auto", "-XX:DumpLoadedClassList=" + classList));
        OUT.printf("running the agent: %s...%n", agentDir.getFileName());
        try (AgentProcess agent = AgentProcess.start(agentDir, config, env, jvm, Map.of(), AgentArchive.Sharing.JDK)) {
            workload.accept(agent);
        }
        return Files.readAllLines(classList);
    }

    private static void scrapeEveryFormat(AgentProcess agent) {
        for (int round = 0; round < 3; round++) {
            for (Target target : formats(agent.url() + "/metrics")) {
                target.scrape(true);
            }
        }
        Http.get(agent.url() + "/healthz");
        Http.get(agent.url() + "/readyz");
    }

    private static List<Target> formats(String url) {
        String openMetrics = "application/openmetrics-text;version=1.0.0;q=0.75," + Target.TEXT;
        return List.of(new Target("text", url, Target.TEXT, false), new Target("text + gzip", url, Target.TEXT, true),
                new Target("OpenMetrics", url, openMetrics, false),
                new Target("OpenMetrics + gzip", url, openMetrics, true),
                new Target("protobuf", url, Target.PROTOBUF, false),
                new Target("protobuf + gzip", url, Target.PROTOBUF, true));
    }

    private static void writeLogs(ContainerLogs logs, List<Pod> pods, int round) {
        String[] messages = new String[LINES_PER_FILE];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = i % 7 == 0 ? "{\"level\":\"info\",\"msg\":\"request " + i + "\",\"round\":" + round + "}"
                    : "GET /api/items/" + i + " 200 " + (i % 97) + "ms";
        }
        for (Pod pod : pods) {
            ContainerLogs.appendCri(logs.fileOf(pod, "main"), "stdout", messages);
        }
    }

    private static void awaitShipped(AgentProcess agent, long lines) {
        OUT.printf("waiting for the agent to ship %,d lines...%n", lines);
        if (!Http.await(Duration.ofSeconds(180),
                () -> agent.metric("vedetta_log_es_records_sent_total") >= lines)) {
            throw new IllegalStateException("the agent shipped " + agent.metric("vedetta_log_es_records_sent_total")
                    + " of " + lines + " lines in 180 s; see " + agent.process().log());
        }
    }
}

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
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the class list the agent's class-data sharing archive is dumped from ({@link AgentArchive#CLASS_LIST}):
 * the classes the packaged agent loads, JDK classes included (an application archive replaces the JDK's own), while
 * it runs both jobs and the cluster collector as the chart runs them: a full node's kubelet and API server, its pods'
 * logs shipped into a real Elasticsearch, every scrape format with and without gzip, the cluster collector's watches,
 * and a graceful stop. Run by {@code scripts/class-list}; commit the file it writes.
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
        Path raw = dir.resolve("loaded-classes.txt");
        Path out = args.length > 0 ? Path.of(args[0]) : AlertingSetup.repo().resolve(AgentArchive.CLASS_LIST);
        run(dir, raw);
        List<String> lines = Files.readAllLines(raw);
        List<String> header = List.of(
                "# The classes of the agent's class-data sharing archive (Dockerfile, AgentArchive): what the packaged",
                "# agent loaded while running its metrics and logs jobs and the cluster collector (scripts/class-list",
                "# writes this file from -XX:DumpLoadedClassList, less the generated proxy classes; ClassListTest checks that",
                "# every class it names exists).");
        List<String> kept = new ArrayList<>(header);
        // Dynamic proxies are generated at run time, under names that depend on the order they are made: JDK 17's
        // -Xshare:dump cannot load them from a class file, so they stay out.
        lines.stream().filter(line -> !line.startsWith("#") && !GENERATED_PROXY.matcher(line).find()).forEach(kept::add);
        Files.write(out, kept);
        OUT.printf("%d classes and lambda entries written to %s%n", kept.size() - header.size(), out);
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        System.exit(0);
    }

    private static void run(Path dir, Path classList) throws IOException, InterruptedException {
        ContainerLogs logs = new ContainerLogs(dir.resolve("logs"));
        try (ElasticsearchProcess elasticsearch = ElasticsearchProcess.start();
                FullNode node = new FullNode(NODE)) {
            node.node().addRunningPod(AlertingSetup.AGENT_NAMESPACE, AlertingSetup.agentPod(NODE), "vedetta", "agent");
            new SimulatedCluster(node.node().client()).typical(NODE);
            Map<String, String> env = new HashMap<>(MetricsBench.CHART.environment());
            env.putAll(Map.of("NODE_NAME", NODE, "POD_NAME", AlertingSetup.agentPod(NODE),
                    "POD_NAMESPACE", AlertingSetup.AGENT_NAMESPACE));
            List<String> jvm = new ArrayList<>(MetricsBench.AGENT_JVM);
            // No archive of its own while the list is made: the list is what the archive is made from.
            jvm.addAll(List.of("-Xshare:auto", "-XX:DumpLoadedClassList=" + classList));
            Path agentDir = dir.resolve("agent");
            try (AgentProcess agent = AgentProcess.start(agentDir,
                    CombinedBench.agentConfig(node, logs.root(), agentDir, elasticsearch.url()), env, jvm, Map.of(),
                    AgentArchive.Sharing.JDK)) {
                MetricsBench.awaitPods(agent);
                writeLogs(logs, node.pods().subList(0, LOG_FILES));
                for (int round = 0; round < 3; round++) {
                    for (Target target : formats(agent.url() + "/metrics")) {
                        target.scrape(true);
                    }
                }
                Http.get(agent.url() + "/healthz");
                Http.get(agent.url() + "/readyz");
                awaitShipped(agent, (long) LOG_FILES * LINES_PER_FILE);
                OUT.println("stopping the agent (its shutdown's classes are part of the list)...");
            }
        }
    }

    private static List<Target> formats(String url) {
        String openMetrics = "application/openmetrics-text;version=1.0.0;q=0.75," + Target.TEXT;
        return List.of(new Target("text", url, Target.TEXT, false), new Target("text + gzip", url, Target.TEXT, true),
                new Target("OpenMetrics", url, openMetrics, false),
                new Target("OpenMetrics + gzip", url, openMetrics, true),
                new Target("protobuf", url, Target.PROTOBUF, false),
                new Target("protobuf + gzip", url, Target.PROTOBUF, true));
    }

    private static void writeLogs(ContainerLogs logs, List<Pod> pods) {
        String[] messages = new String[LINES_PER_FILE];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = i % 7 == 0 ? "{\"level\":\"info\",\"msg\":\"request " + i + "\",\"status\":200}"
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

package io.vedetta.demo;

import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.AlertmanagerProcess;
import io.vedetta.testkit.ContainerLogs;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.PrometheusProcess;
import io.vedetta.testkit.SimulatedCluster;
import io.vedetta.testkit.SimulatedNode;
import io.vedetta.testkit.WebhookReceiver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code scripts/demo}: a simulated node (mock API server with a few pods, one of them crash-looping),
 * the agent run as the chart's pod on it (see {@link DemoAgent}; a plain process where this machine cannot make
 * namespaces), a real Prometheus scraping the agent and evaluating the shipped alert
 * rules, a real Alertmanager routing them to a local webhook that prints what it receives, and a real
 * Elasticsearch node into which the agent ships the simulated pods' container logs (kubelet file layout).
 * Prints where to look and a few live figures; Ctrl-C stops everything. {@code --for 30s} stops by itself.
 */
public final class Demo {

    private static final PrintStream OUT = System.out;
    private static final String NODE = "demo-node";
    /** Held so the setting sticks: the mock server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(".demo").toAbsolutePath();
        Duration runFor = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]).toAbsolutePath();
                case "--for" -> runFor = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --dir DIR, --for 30s");
            }
        }
        cleanDirectory(dir);
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);

        SimulatedNode node = new SimulatedNode(NODE);
        DemoAgent agent = DemoAgent.prepare(dir, node, OUT);
        List<Path> logFiles = List.of(
                agent.logFileOf(node.addRunningPod("shop", "web-7f9c8d", "web", "nginx", "php-fpm"), "nginx"),
                agent.logFileOf(node.client().pods().inNamespace("shop").withName("web-7f9c8d").get(), "php-fpm"),
                agent.logFileOf(node.addRunningPod("shop", "payments-6c4d2f", "payments", "worker"), "worker"),
                agent.logFileOf(node.addRunningPod("kube-system", "coredns-5d78c9", "coredns", "coredns"), "coredns"));
        SimulatedCluster cluster = new SimulatedCluster(node.client());
        cluster.typical(NODE);
        OUT.println("simulated node " + NODE + ": Kubernetes API at " + node.apiServerUrl() + " with 3 pods,"
                + " a kubelet serving recorded real responses");
        OUT.println("simulated cluster: deployments web, checkout and payments (its rollout stuck), statefulset db,"
                + " a failed job report-29112, cronjobs report and cleanup (suspended), a pod no node can take,"
                + " an unreachable node, a control-plane node, an autoscaler, a disruption budget, and events");
        ElasticsearchProcess elasticsearch = ElasticsearchProcess.start(dir.resolve("elasticsearch"), 0);
        OUT.println("Elasticsearch " + elasticsearch.url() + " (a real node in its own JVM, log " + elasticsearch.logFile() + ")");

        OUT.println("starting the agent...");
        OUT.println("agent running as " + agent.start(elasticsearch.url()));

        AtomicBoolean workloadAlertShown = new AtomicBoolean();
        WebhookReceiver webhook = new WebhookReceiver(n -> {
            OUT.println("  >> webhook " + n.summary());
            if (n.concerns("KubeJobFailed") && n.status().equals("firing") && workloadAlertShown.compareAndSet(false, true)) {
                OUT.println("  == a workload alert reached on-call: KubeJobFailed, from the cluster state the agent"
                        + " collects as the elected cluster collector (no kube-state-metrics)");
            }
        });
        AlertmanagerProcess alertmanager = AlertmanagerProcess.start(dir.resolve("alertmanager"),
                AlertingSetup.alertmanagerConfig(webhook.url()));
        PrometheusProcess prometheus = PrometheusProcess.start(dir.resolve("prometheus"),
                AlertingSetup.prometheusConfig(agent.port(), NODE, AlertingSetup.fastRules(dir.resolve("rules")),
                        alertmanager.url()), List.of("--rules.alert.resend-delay=1s"));

        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            OUT.println("\nstopping: prometheus, agent (SIGTERM), simulated node, Elasticsearch");
            prometheus.close();
            alertmanager.close();
            webhook.close();
            int code = agent.stop();
            OUT.println("agent exited with " + code);
            node.close();
            elasticsearch.stop();
            stop.countDown();
        }, "demo-stop"));

        OUT.printf("""

                ==== Vedetta demo is running ====
                  agent metrics     %1$s/metrics
                  agent readiness   %1$s/readyz
                  Prometheus        %2$s/graph?g0.expr=up
                  alerts            %2$s/alerts  (the shipped rules, every `for` cut to 1s for the demo)
                  Alertmanager      %4$s  (routes of alert-rules/alertmanager.yml to the webhook below)
                  Elasticsearch     %5$s/logs-kubernetes.container-shop/_search?q=kubernetes.pod_name:web-7f9c8d
                  events            %5$s/logs-kubernetes.events-*/_search?q=kubernetes.event.type:Warning
                  try in Prometheus kube_pod_container_status_restarts_total
                                    kube_pod_container_status_waiting_reason
                                    kube_deployment_status_replicas_available
                                    kube_job_failed
                                    vedetta_kube_pods
                  files             %3$s
                  dashboards        %6$s/{node,pods,logs,agent,workloads}.json: in Grafana, add this Prometheus
                                    as a data source, then Dashboards > New > Import > Upload JSON file, once per
                                    file (each has a Data source selector); in a cluster the chart's
                                    dashboards.enabled=true installs them as ConfigMaps for Grafana's sidecar
                Ctrl-C stops everything.

                """, agent.url(), prometheus.url(), dir, alertmanager.url(), elasticsearch.url(),
                AlertingSetup.repo().resolve("dashboards"));

        Instant end = runFor == null ? Instant.MAX : Instant.now().plus(runFor);
        while (Instant.now().isBefore(end) && agent.running()) {
            node.crashLoop("shop", "payments-6c4d2f");
            cluster.repeat("shop", "payments-big-0.1");
            writeLogs(logFiles);
            if (stop.await(10, TimeUnit.SECONDS)) {
                return;
            }
            printFigures(agent, prometheus);
            printDocumentCounts(elasticsearch);
        }
        if (!agent.running()) {
            OUT.println("the agent exited; last lines of its log:\n" + agent.logTail(20));
            System.exit(1);
        }
        System.exit(0);
    }

    private static void printFigures(DemoAgent agent, PrometheusProcess prometheus) {
        OUT.printf("[%s] up=%s ready=%s pods=%s restarts(payments)=%s agent_rss=%.0fMiB agent_restarts=%d%n",
                Instant.now().toString().substring(11, 19),
                figure(prometheus, "up{job=\"vedetta\"}"),
                Http.get(agent.url() + "/readyz").status() == 200 ? "yes" : "no",
                figure(prometheus, "vedetta_kube_pods"),
                figure(prometheus, "sum(kube_pod_container_status_restarts_total{pod=\"payments-6c4d2f\"})"),
                prometheus.value("process_resident_memory_bytes{job=\"vedetta\"}") / (1 << 20), agent.restarts());
        OUT.printf("           cluster: leader=%s deployments=%s short_of_replicas=%s failed_jobs=%s events_read=%s%n",
                figure(prometheus, "sum(vedetta_cluster_leader)"),
                figure(prometheus, "count(kube_deployment_spec_replicas)"),
                figure(prometheus, "count(kube_deployment_spec_replicas - kube_deployment_status_replicas_available > 0)"),
                figure(prometheus, "count(kube_job_failed{condition=\"true\"} == 1)"),
                figure(prometheus, "sum(vedetta_cluster_events_received_total)"));
    }

    /** A few lines per container, as its application would write them: access lines, JSON, a stack trace. */
    private static void writeLogs(List<Path> files) {
        for (Path file : files) {
            ContainerLogs.appendCri(file, "stdout",
                    "10.0.0.7 - - \"GET /cart HTTP/1.1\" 200 512",
                    "{\"level\":\"info\",\"msg\":\"request served\",\"status\":200,\"duration_ms\":12}");
            ContainerLogs.appendCri(file, "stderr", "{\"level\":\"warn\",\"msg\":\"slow upstream\",\"upstream\":\"db\"}");
        }
    }

    /** Documents per data stream of the simulated namespaces, and dead letters. */
    private static void printDocumentCounts(ElasticsearchProcess elasticsearch) {
        StringBuilder line = new StringBuilder("           documents:");
        for (String target : List.of("logs-kubernetes.container-shop", "logs-kubernetes.container-kube-system",
                "logs-kubernetes.events-*", "vedetta-deadletter-*")) {
            Http.Response count = Http.get(elasticsearch.url() + "/_cat/count/" + target + "?h=count");
            line.append(' ').append(target).append('=')
                    .append(count.status() == 200 ? count.body().trim() : "-");
        }
        OUT.println(line);
    }

    private static String figure(PrometheusProcess prometheus, String promql) {
        double value = prometheus.value(promql);
        return Double.isNaN(value) ? "-" : String.valueOf((long) value);
    }

    private static void cleanDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }
}

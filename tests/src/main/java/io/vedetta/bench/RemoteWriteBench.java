package io.vedetta.bench;

import io.vedetta.testkit.AgentArchive;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.ManagedProcess;
import io.vedetta.testkit.Ports;
import io.vedetta.testkit.PrometheusProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code scripts/bench remote-write}: Prometheus 2.42 in agent mode ({@code --enable-feature=agent}) and Vedetta, in
 * one run, scraping the same simulated targets ({@link BenchTargets}) and a full node's kubelet (Prometheus scrapes its
 * {@code /metrics/cadvisor} and {@code /metrics}; Vedetta's kubelet sources read them and its own series are pushed)
 * and writing to the same receiver ({@link CountingReceiver}). Reports CPU seconds per million samples sent, peak RSS,
 * write-ahead-log bytes per million samples, the delay from a sample's timestamp to its arrival, and the samples lost.
 */
public final class RemoteWriteBench {

    private static final PrintStream OUT = System.out;
    private static final String NODE = "bench-node";
    /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private RemoteWriteBench() {
    }

    /** The figures of one agent over the measured window. */
    record Figures(String name, double cpuSeconds, long samples, long benchSamples, long walBytes, long peakRss,
            double delayP50, double delayP99, long served, long received, long repeated) {

        double cpuPerMillion() {
            return cpuSeconds / (samples / 1e6);
        }

        double walPerMillion() {
            return walBytes / (samples / 1e6);
        }
    }

    public static void main(String[] args) throws Exception {
        int targets = 200;
        int series = 500;
        Duration interval = Duration.ofSeconds(15);
        Duration warmUp = Duration.ofSeconds(60);
        Duration measure = Duration.ofSeconds(300);
        Path dir = Path.of(".bench").toAbsolutePath().resolve("remote-write");
        Path report = AlertingSetup.repo().resolve("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--targets" -> targets = Integer.parseInt(args[++i]);
                case "--series" -> series = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUp = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
                case "--duration" -> measure = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
                case "--dir" -> dir = Path.of(args[++i]).toAbsolutePath();
                case "--report" -> report = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --targets N,"
                        + " --series N, --warm-up 60s, --duration 300s, --dir DIR, --report FILE");
            }
        }
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        BenchDirectory.clean(dir);
        Machine machine = Machine.describe();
        ChartJvm chart = ChartJvm.ofThisRepository();
        OUT.printf("remote-write: %d targets x %d series every %ds and a full node's kubelet, %ds warm-up, %ds"
                + " measured%n", targets, series, interval.toSeconds(), warmUp.toSeconds(), measure.toSeconds());
        try (CountingReceiver receiver = new CountingReceiver();
                BenchTargets apps = new BenchTargets(targets, series);
                FullNode node = new FullNode(NODE)) {
            List<Integer> ports = apps.ports();
            for (int i = 0; i < ports.size(); i++) {
                int port = ports.get(i);
                String pod = "bench-" + i;
                node.node().addRunningPod("bench", pod, "bench", "app");
                node.node().update("bench", pod, p -> {
                    p.getStatus().setPodIP("127.0.0.1");
                    p.getMetadata().getAnnotations().put("prometheus.io/scrape", "true");
                    p.getMetadata().getAnnotations().put("prometheus.io/port", String.valueOf(port));
                    return p;
                });
            }
            PrometheusAgent prometheus = PrometheusAgent.start(dir.resolve("prometheus"), ports, node.kubeletUrl(),
                    receiver.url(), interval);
            Map<String, String> env = new HashMap<>(chart.environment());
            env.put("NODE_NAME", NODE);
            AgentProcess vedetta = AgentProcess.start(dir.resolve("vedetta"), """
                    kubernetes:
                      apiServer: %s
                    metrics:
                      kubelet:
                        url: %s
                        caFile: ""
                        tokenFile: ""
                    scrape:
                      interval: %ds
                    remoteWrite:
                      walDir: %s
                      externalLabels: {agent: vedetta}
                      endpoints:
                        - url: %s
                    logging:
                      format: text
                    """.formatted(node.apiServerUrl(), node.kubeletUrl(), interval.toSeconds(),
                    dir.resolve("vedetta/wal"), receiver.url()), env, chart.options());
            try (prometheus; vedetta) {
                OUT.println("warming up...");
                Thread.sleep(warmUp.toMillis());
                Window p = Window.start("prometheus", prometheus.process().pid(), receiver, () -> prometheus.walBytes());
                Window v = Window.start("vedetta", vedetta.process().pid(), receiver,
                        () -> (long) metric(vedetta, "vedetta_wal_written_bytes_total"));
                OUT.println("measuring...");
                Thread.sleep(measure.toMillis());
                Window.Partial pe = p.end();
                Window.Partial ve = v.end();
                OUT.println("stopping both agents (each sends what it holds) and waiting for the receiver...");
                prometheus.process().stop(90);
                vedetta.process().stop(90);
                awaitQuiet(receiver);
                List<Figures> figures = List.of(
                        pe.figures(receiver, apps.served("Prometheus") * series, series),
                        ve.figures(receiver, apps.served("Vedetta") * series, series));
                Report r = new Report(machine, targets, series, interval, warmUp, measure, chart, figures,
                        Machine.version("prometheus"));
                BenchmarksFile.publish(report, "remote-write", r::markdown);
            }
        }
        System.exit(0);
    }

    /** Waits until nothing has arrived for ten seconds. */
    private static void awaitQuiet(CountingReceiver receiver) throws InterruptedException {
        long last = -1;
        while (true) {
            long now = receiver.counts("prometheus").snapshot()[0] + receiver.counts("vedetta").snapshot()[0];
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(10_000);
        }
    }

    static double metric(AgentProcess agent, String name) {
        for (String line : Http.get(agent.url() + "/metrics").body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("the agent serves no " + name);
    }

    /** CPU, samples and log bytes of one agent from the start of the measured window. */
    private record Window(String name, long pid, CountingReceiver receiver, java.util.function.LongSupplier wal,
            double cpu, long[] counts, long walBytes) {

        static Window start(String name, long pid, CountingReceiver receiver, java.util.function.LongSupplier wal) {
            receiver.counts(name).resetDelays();
            return new Window(name, pid, receiver, wal, ProcessUsage.cpuSeconds(pid), receiver.counts(name).snapshot(),
                    wal.getAsLong());
        }

        record Partial(Window start, double cpu, long[] counts, long walBytes, long peakRss, double p50, double p99) {

            Figures figures(CountingReceiver receiver, long expectedBench, int series) {
                long[] all = receiver.counts(start.name()).snapshot();
                return new Figures(start.name(), cpu - start.cpu(), counts[0] - start.counts()[0],
                        counts[1] - start.counts()[1], walBytes - start.walBytes(), peakRss, p50, p99, expectedBench,
                        all[1], all[2]);
            }
        }

        Partial end() {
            CountingReceiver.Counts c = receiver.counts(name);
            return new Partial(this, ProcessUsage.cpuSeconds(pid), c.snapshot(), wal.getAsLong(),
                    ProcessUsage.peakRssBytes(pid), c.delayQuantile(0.5), c.delayQuantile(0.99));
        }
    }

    /** Prometheus in agent mode, configured as an agent on the same node would be. */
    private static final class PrometheusAgent implements AutoCloseable {
        private final ManagedProcess process;
        private final Path wal;

        private PrometheusAgent(ManagedProcess process, Path wal) {
            this.process = process;
            this.wal = wal;
        }

        static PrometheusAgent start(Path dir, List<Integer> ports, String kubelet, String receiver, Duration interval)
                throws IOException {
            Files.createDirectories(dir);
            String targets = ports.stream().map(p -> "'127.0.0.1:" + p + "'").collect(Collectors.joining(", "));
            String kubeletHost = kubelet.replaceFirst("^https?://", "");
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: %1$ds
                      scrape_timeout: 10s
                      external_labels: {agent: prometheus}
                    scrape_configs:
                      - job_name: bench
                        static_configs: [{targets: [%2$s]}]
                      - job_name: kubelet-cadvisor
                        metrics_path: /metrics/cadvisor
                        static_configs: [{targets: ['%3$s']}]
                      - job_name: kubelet
                        metrics_path: /metrics
                        static_configs: [{targets: ['%3$s']}]
                    remote_write:
                      - url: %4$s
                    """.formatted(interval.toSeconds(), targets, kubeletHost, receiver));
            int port = Ports.free();
            Path data = dir.resolve("data");
            ManagedProcess process = new ManagedProcess("prometheus-agent", List.of(PrometheusProcess.BINARY.toString(),
                    "--enable-feature=agent", "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.agent.path=" + data, "--web.listen-address=127.0.0.1:" + port), Map.of(),
                    dir.resolve("prometheus.log"));
            if (!Http.await(Duration.ofSeconds(30), () -> Http.get("http://127.0.0.1:" + port + "/-/ready").status() == 200)) {
                process.close();
                throw process.failure("did not become ready");
            }
            return new PrometheusAgent(process, data.resolve("wal"));
        }

        ManagedProcess process() {
            return process;
        }

        /** Bytes of its write-ahead log's files: it truncates them only every two hours, so they only grow here. */
        long walBytes() {
            try (Stream<Path> files = Files.walk(wal)) {
                return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            process.close();
        }
    }

    private record Report(Machine machine, int targets, int series, Duration interval, Duration warmUp,
            Duration measure, ChartJvm chart, List<Figures> figures, String prometheusVersion) {

        String markdown(String command, String commit) {
            StringBuilder b = new StringBuilder();
            b.append("## remote_write: Vedetta against Prometheus in agent mode\n\n");
            b.append(String.format(Locale.ROOT, "Command: `%s` (commit %s), on %d CPUs (%s), load average %s before"
                    + " the run, %s, %s. Both agents scrape the same %d simulated targets of %d changing gauges and a"
                    + " full node's kubelet (110 pods x 3 containers: Prometheus scrapes its `/metrics/cadvisor` and"
                    + " `/metrics`, Vedetta reads them with its kubelet sources and pushes its own series, node and pod"
                    + " state included) every %ds, and write to one receiver in the benchmark's JVM that decodes and"
                    + " counts every request. %ds of warm-up, then %ds measured. Vedetta runs with the chart's JVM"
                    + " options `%s`, %s; both with their default queue settings.%n%n", command, commit, machine.cpus(),
                    machine.cpuModel(), machine.loadAverage(), machine.kernel(), prometheusVersion, targets, series,
                    interval.toSeconds(), warmUp.toSeconds(), measure.toSeconds(), String.join(" ", chart.options()),
                    AgentArchive.describe(AgentArchive.configured())));
            b.append("| agent | samples sent (window) | CPU s | CPU s per million samples | peak RSS |"
                    + " WAL bytes per million samples | delay p50 | delay p99 | target samples served / received |"
                    + " lost | sent twice or out of order |\n");
            b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Figures f : figures) {
                b.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.2f | %.1f MiB | %s | %.1f s | %.1f s |"
                        + " %,d / %,d | %,d | %,d |%n", f.name(), f.samples(), f.cpuSeconds(), f.cpuPerMillion(),
                        f.peakRss() / 1048576.0, String.format(Locale.ROOT, "%.1f MiB", f.walPerMillion() / 1048576.0),
                        f.delayP50() / 1000, f.delayP99() / 1000, f.served(), f.received(),
                        Math.max(0, f.served() - f.received()), f.repeated()));
            }
            Figures p = figures.get(0);
            Figures v = figures.get(1);
            b.append(String.format(Locale.ROOT, "%nVedetta / Prometheus agent: CPU per sample %.2f, peak RSS %.2f, WAL"
                    + " bytes per sample %.2f. Target: CPU per sample and RSS at most Prometheus agent mode's, no"
                    + " sample lost: **%s**.%n", v.cpuPerMillion() / p.cpuPerMillion(), (double) v.peakRss() / p.peakRss(),
                    v.walPerMillion() / p.walPerMillion(), v.cpuPerMillion() <= p.cpuPerMillion()
                            && v.peakRss() <= p.peakRss() && v.served() <= v.received() && p.served() <= p.received()
                            ? "met" : "missed"));
            b.append("\nSamples sent count everything each agent pushed in the window (the targets' series, `up` and"
                    + " `scrape_*`, the kubelet's series, and Vedetta's own); Vedetta's include about a thousand series"
                    + " of its own (JVM, node, pod state) that Prometheus does not collect. WAL bytes: Vedetta's"
                    + " `vedetta_wal_written_bytes_total`, Prometheus' growth of its `wal` directory (it truncates"
                    + " every two hours). Delay: from a target sample's timestamp (the scrape's start) to its arrival"
                    + " at the receiver. Lost: target samples the targets served to the agent that never arrived, after"
                    + " both were stopped with SIGTERM and sent what they held.\n");
            return b.toString();
        }
    }
}

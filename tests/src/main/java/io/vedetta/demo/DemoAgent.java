package io.vedetta.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.ContainerLogs;
import io.vedetta.testkit.Ports;
import io.vedetta.testkit.SimulatedKubelet;
import io.vedetta.testkit.SimulatedNode;
import io.vedetta.testkit.TestCertificates;
import io.vedetta.testkit.pod.AgentValues;
import io.vedetta.testkit.pod.KubeletLogs;
import io.vedetta.testkit.pod.PodManifest;
import io.vedetta.testkit.pod.PodNode;
import io.vedetta.testkit.pod.RenderedChart;
import io.vedetta.testkit.pod.RunningPod;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's agent: the chart's pod, run by the pod runner as a cluster runs it (namespaces, mounts, user and
 * capabilities, probes, the kubelet's self-signed certificate trusted as the node's own) where this machine can make
 * Linux namespaces; else the packaged jar as a plain process, which the demo says loudly, since that is not what a
 * cluster runs.
 */
interface DemoAgent {

    /** Where the agent's HTTP endpoints are, from this machine. */
    String url();

    int port();

    /** The log file of {@code container} of {@code pod}, where the agent tails it. */
    Path logFileOf(Pod pod, String container);

    /** Starts the agent shipping to {@code elasticsearchUrl}; returns how it runs, for the demo to print. */
    String start(String elasticsearchUrl);

    /** Whether the agent runs; a pod's container the kubelet restarts still counts as running. */
    boolean running();

    /** Restarts of the agent's container (0 for a plain process). */
    int restarts();

    /** Stops the agent as its runner would (SIGTERM, then SIGKILL after the grace); returns its exit code. */
    int stop();

    String logTail(int lines);

    static DemoAgent prepare(Path dir, SimulatedNode node, PrintStream out) {
        Optional<String> cannot = PodNode.cannotRunPods();
        if (cannot.isEmpty()) {
            return new AsPod(dir, node, out);
        }
        out.println("""

                !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
                !! This machine cannot run the agent as the chart's pod: %s
                !! The demo runs the packaged jar as a PLAIN PROCESS instead: no namespaces, no read-only mounts,
                !! no dropped capabilities, no probes. That is not what a cluster runs. Run as root on Linux
                !! (scripts/demo installs iproute2) to see the real pod.
                !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
                """.formatted(cannot.get()));
        return new AsProcess(dir, node);
    }

    /** The chart's DaemonSet pod on a {@link PodNode}, with its defaults and the demo's endpoints. */
    final class AsPod implements DemoAgent {
        private final Path dir;
        private final SimulatedNode api;
        private final PodNode node;
        private final SimulatedKubelet kubelet;
        private final KubeletLogs logs;
        private final int port = Ports.free();
        private RunningPod pod;

        AsPod(Path dir, SimulatedNode api, PrintStream out) {
            this.dir = dir;
            this.api = api;
            out.println("making the node's certificates (the cluster CA, the kubelet's own self-signed one)...");
            node = PodNode.create(api.nodeName(), dir.resolve("node"));
            TestCertificates pki = TestCertificates.get();
            TestCertificates.Server certificate = pki.kubeletSelfSigned("demo-kubelet", api.nodeName());
            String token = "demo-service-account-token";
            node.serviceAccount(token, pki.clusterCa());
            try {
                Path kubeletPki = Files.createDirectories(node.hostPath("/var/lib/kubelet/pki"));
                Files.copy(certificate.certificate(), kubeletPki.resolve("kubelet.crt"));
                Files.createDirectories(node.hostPath("/var/lib/docker/containers"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            kubelet = SimulatedKubelet.https(certificate.context(), node.hostIp(), "", token);
            logs = new KubeletLogs(node.hostPath("/var/log"));
        }

        @Override
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public Path logFileOf(Pod pod, String container) {
            return logs.create(pod, container);
        }

        @Override
        public String start(String elasticsearchUrl) {
            Path values = AgentValues.write(dir.resolve("demo-values.yaml"), true, elasticsearchUrl, api.apiServerUrl(),
                    kubelet.port(), port);
            Path shown;
            try {
                shown = Files.writeString(dir.resolve("demo-show-values.yaml"), """
                        # What the demo shows beyond the defaults: JSON messages as fields, readable agent logs.
                        config:
                          logs: {parseJson: true}
                          logging: {format: text}
                        """);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            RenderedChart chart = RenderedChart.render(List.of(RenderedChart.scenario("defaults"), values, shown), Map.of());
            pod = node.run(PodManifest.of(chart)).awaitReady(Duration.ofMinutes(3));
            return "the chart's pod " + pod.namespace() + "/" + pod.name() + " on node " + node.name()
                    + " (helm template of helm/vedetta's defaults with " + values + " and " + shown + "): host network,"
                    + " UID 0 with DAC_READ_SEARCH alone, read-only root and host mounts, the kubelet's self-signed"
                    + " certificate trusted as the node's own; pod files in " + pod.directory() + ", container log " + pod.log();
        }

        @Override
        public boolean running() {
            return pod != null;
        }

        @Override
        public int restarts() {
            return pod == null ? 0 : pod.restarts();
        }

        @Override
        public int stop() {
            int code = pod == null ? 0 : pod.stop().code();
            pod = null;
            node.close();
            kubelet.close();
            return code;
        }

        @Override
        public String logTail(int lines) {
            return pod == null ? "" : pod.logTail(lines);
        }
    }

    /** The packaged jar as a plain process on this machine, with a plain-HTTP kubelet: the fallback. */
    final class AsProcess implements DemoAgent {
        private final Path dir;
        private final SimulatedNode api;
        private final SimulatedKubelet kubelet = new SimulatedKubelet();
        private final ContainerLogs logs;
        private AgentProcess agent;

        AsProcess(Path dir, SimulatedNode api) {
            this.dir = dir;
            this.api = api;
            this.logs = new ContainerLogs(dir.resolve("logs"));
        }

        @Override
        public String url() {
            return agent.url();
        }

        @Override
        public int port() {
            return agent.port();
        }

        @Override
        public Path logFileOf(Pod pod, String container) {
            return logs.fileOf(pod, container);
        }

        @Override
        public String start(String elasticsearchUrl) {
            agent = AgentProcess.start(dir.resolve("agent"), """
                    kubernetes:
                      apiServer: %s
                    metrics:
                      kubelet:
                        url: %s
                        caFile: ""
                        tokenFile: ""
                        sources: {cadvisor: true, kubelet: true, resource: true}
                    logs:
                      enabled: true
                      paths: ["%s/*.log"]
                      allowedRoots: ["%s"]
                      stateDir: %s
                      parseJson: true
                      batch: {linger: 200ms}
                    elasticsearch:
                      urls: ["%s"]
                    cluster:
                      enabled: true
                    logging:
                      format: text
                    """.formatted(api.apiServerUrl(), kubelet.url(), logs.containers(), logs.root(),
                    dir.resolve("agent-state"), elasticsearchUrl), Map.of("NODE_NAME", api.nodeName(), "POD_NAME",
                    "vedetta-demo", "POD_NAMESPACE", "vedetta"));
            return "a plain process (pid " + agent.process().pid() + "), log at " + agent.process().log();
        }

        @Override
        public boolean running() {
            return agent.process().isAlive();
        }

        @Override
        public int restarts() {
            return 0;
        }

        @Override
        public int stop() {
            int code = agent.process().stop(25);
            kubelet.close();
            return code;
        }

        @Override
        public String logTail(int lines) {
            return agent.process().tail(lines);
        }
    }
}

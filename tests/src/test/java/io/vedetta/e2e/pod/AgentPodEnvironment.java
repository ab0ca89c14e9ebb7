package io.vedetta.e2e.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.ManagedProcess;
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
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One simulated node for the agent run as the chart's pod, started once per test run: the mock API server with the
 * node's pods, the node's kubelet over HTTPS with the self-signed serving certificate kubeadm's kubelet makes (its
 * {@code kubelet.crt} in the node's /var/lib/kubelet/pki), the API server's node proxy over HTTPS with a certificate
 * of the cluster CA (for {@code via: apiserver}), prometheus-node-exporter on this machine (the node series' peer),
 * the shared Elasticsearch, and the {@link PodNode} whose fake host tree holds the container logs and the state.
 */
final class AgentPodEnvironment {

    static final String NODE = "pod-node";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AgentPodEnvironment instance;

    final SimulatedNode api;
    final PodNode node;
    final SimulatedKubelet kubelet;
    final SimulatedKubelet apiServerProxy;
    final ManagedProcess nodeExporter;
    final String nodeExporterUrl;
    final ElasticsearchProcess elasticsearch;
    final KubeletLogs logs;

    private AgentPodEnvironment(Path dir, ElasticsearchProcess elasticsearch) throws IOException {
        this.elasticsearch = elasticsearch;
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        api = new SimulatedNode(NODE);
        node = PodNode.create(NODE, dir.resolve("node"));
        TestCertificates pki = TestCertificates.get();
        TestCertificates.Server kubeletCertificate = pki.kubeletSelfSigned("pod-node-kubelet", NODE);
        Path pkiDir = Files.createDirectories(node.hostPath("/var/lib/kubelet/pki"));
        Files.copy(kubeletCertificate.certificate(), pkiDir.resolve("kubelet.crt"));
        String token = "pod-node-service-account-token";
        node.serviceAccount(token, pki.clusterCa());
        kubelet = SimulatedKubelet.https(kubeletCertificate.context(), node.hostIp(), "", token);
        apiServerProxy = SimulatedKubelet.https(pki.signedByCluster("apiserver", "127.0.0.1").context(), "127.0.0.1",
                "/api/v1/nodes/" + NODE + "/proxy", token);
        node.apiService("127.0.0.1", apiServerProxy.port());
        logs = new KubeletLogs(node.hostPath("/var/log"));
        // A node running docker has it; elsewhere the runtime would make it for the chart's untyped hostPath.
        Files.createDirectories(node.hostPath("/var/lib/docker/containers"));
        int port = Ports.free();
        Path exporterDir = Files.createDirectories(dir.resolve("node-exporter"));
        nodeExporter = new ManagedProcess("prometheus-node-exporter",
                List.of("prometheus-node-exporter", "--web.listen-address=127.0.0.1:" + port,
                        // Debian's build excludes lo, /run, /mnt and /media by default; upstream node_exporter's defaults,
                        // which the agent follows (kube-prometheus runs the upstream image), are restored.
                        "--collector.netdev.device-exclude=",
                        "--collector.filesystem.mount-points-exclude=^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+"
                                + "|var/lib/containers/storage/.+)($|/)"), Map.of(),
                exporterDir.resolve("node-exporter.log"));
        nodeExporterUrl = "http://127.0.0.1:" + port + "/metrics";
        if (!Http.await(Duration.ofSeconds(30), () -> Http.get(nodeExporterUrl).status() == 200)) {
            throw nodeExporter.failure("did not serve " + nodeExporterUrl);
        }
    }

    static synchronized AgentPodEnvironment get(ElasticsearchProcess elasticsearch) {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("vedetta-pod-e2e");
                instance = new AgentPodEnvironment(dir, elasticsearch);
                AgentPodEnvironment started = instance;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "pod-e2e-teardown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /**
     * The chart's values for this node, written to a values file that goes after the scenario's: where the API server,
     * the kubelet's port and Elasticsearch are (for a pod off the host network, at the node's gateway through
     * forwarders), a free port for the agent (with hostNetwork it binds the machine's interfaces, which parallel runs
     * share), readiness checked every second, and short batching.
     */
    private Path values(boolean hostNetwork) {
        String apiServer = api.apiServerUrl();
        String es = elasticsearch.url();
        if (!hostNetwork) {
            apiServer = "http://" + address(node.forPods(hostPort(apiServer)));
            es = "http://" + address(node.forPods(hostPort(es)));
            node.forPods(new InetSocketAddress(node.hostIp(), kubelet.port()));
        }
        try {
            return AgentValues.write(Files.createTempFile(node.directory(), "values-", ".yaml"), hostNetwork, es, apiServer,
                    kubelet.port(), Ports.free());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Renders {@code scenario} (a ci/ values file), then this node's values, then {@code sets}, and runs the agent's
     * pod on the node, with {@code objects} beside the chart's (a Secret managed outside it, say).
     */
    RunningPod start(String scenario, Map<String, Object> sets, JsonNode... objects) {
        boolean hostNetwork = !Boolean.FALSE.equals(sets.get("hostNetwork"));
        RenderedChart chart = RenderedChart.render(List.of(RenderedChart.scenario(scenario), values(hostNetwork)), sets);
        return node.run(PodManifest.of(chart).with(objects));
    }

    /** The agent's pod of the chart's defaults with {@code sets}, ready. */
    RunningPod startReady(Map<String, Object> sets) {
        return start("defaults", sets).awaitReady(Duration.ofSeconds(90));
    }

    /** Documents of {@code pod} in the data stream of namespace {@code namespace}; 0 while it does not exist. */
    long documents(String namespace, String pod) {
        Http.Response response = Http.get(elasticsearch.url() + "/logs-kubernetes.container-" + namespace
                + "/_count?q=kubernetes.pod_name:" + pod);
        if (response.status() != 200) {
            return 0;
        }
        try {
            return JSON.readTree(response.body()).path("count").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The saved offset of {@code file} (known by its inode) in the node's state directory, -1 when there is none. */
    long position(Path file) {
        Path positions = node.hostPath("/var/lib/vedetta").resolve("positions.json");
        try {
            if (!Files.exists(positions)) {
                return -1;
            }
            long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            for (JsonNode entry : JSON.readTree(positions.toFile()).path("files")) {
                if (entry.path("ino").asLong() == inode) {
                    return entry.path("offset").asLong();
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static InetSocketAddress hostPort(String url) {
        java.net.URI uri = java.net.URI.create(url);
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    private static String address(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private void close() {
        node.close();
        nodeExporter.close();
        apiServerProxy.close();
        kubelet.close();
        api.close();
    }
}

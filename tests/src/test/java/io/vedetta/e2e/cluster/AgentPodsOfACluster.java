package io.vedetta.e2e.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.SimulatedNode;
import io.vedetta.testkit.pod.PodManifest;
import io.vedetta.testkit.pod.PodNode;
import io.vedetta.testkit.pod.RenderedChart;
import io.vedetta.testkit.pod.RunningPod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agents of one DaemonSet as the chart's pods, each on a node of its own, against one API server and one
 * Elasticsearch (the test class's). The pods run off the host network: each has a network namespace of its own, so
 * one of them can lose the API server while the others, and the test's view of its {@code /metrics}, keep theirs
 * (host-network pods would all share this machine's, where no partition can single one out). They are rendered from
 * the chart's {@code logs-off} scenario (no host log mounts, a non-root user, no capability) with the node's kubelet
 * and node series off, since only the cluster collector is under test, and with short Lease timings in the
 * defaults' proportions (lease 4 s, renew deadline 3 s, retry 500 ms).
 */
final class AgentPodsOfACluster implements AutoCloseable {

    static final Duration LEASE = Duration.ofSeconds(4);
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(3);
    static final Duration RETRY = Duration.ofMillis(500);
    /** Events of these tests go to data streams of their own in the shared Elasticsearch. */
    static final String EVENTS_PREFIX = "logs-podlead.events-";
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** One agent: its node and (until it is killed) its pod. */
    static final class Member {
        final PodNode node;
        final RunningPod pod;
        final String name;
        private final InetSocketAddress apiServer;

        Member(PodNode node, RunningPod pod, InetSocketAddress apiServer) {
            this.node = node;
            this.pod = pod;
            this.name = pod.name();
            this.apiServer = apiServer;
        }

        /** The agent's exposition as Prometheus scrapes it (from the node, at the pod's IP); "" while it does not answer. */
        String metrics() {
            RunningPod.HttpResult r = pod.get("/metrics");
            return r.status() == 200 ? r.body() : "";
        }

        boolean leads() {
            return metrics().contains("\nvedetta_cluster_leader 1.0");
        }

        /** True while it exposes any of the cluster's series (the leader's alone). */
        boolean exposesClusterSeries() {
            String m = metrics();
            return m.contains("\nkube_deployment_spec_replicas{") || m.contains("\nkube_node_info{")
                    || m.contains("\nvedetta_cluster_objects{");
        }

        /**
         * The API server becomes unreachable from this pod alone: in the pod's network namespace, policy routing
         * drops what goes to the API server's address and port and what comes back from it, so established
         * connections (the Lease's, the watches') hang and new ones fail, while its /metrics stays reachable.
         */
        void partitionFromApiServer() {
            inPodNetwork("add");
        }

        void healPartition() {
            inPodNetwork("del");
        }

        private void inPodNetwork(String action) {
            String address = apiServer.getHostString();
            String port = String.valueOf(apiServer.getPort());
            run("nsenter", "--target", String.valueOf(pod.containerPid()), "--net", "ip", "rule", action, "to",
                    address, "ipproto", "tcp", "dport", port, "blackhole");
            run("nsenter", "--target", String.valueOf(pod.containerPid()), "--net", "ip", "rule", action, "iif", "eth0",
                    "from", address, "ipproto", "tcp", "sport", port, "blackhole");
        }

        @Override
        public String toString() {
            return name + " on " + node.name() + " (" + pod.status() + ")";
        }
    }

    final List<Member> members = new ArrayList<>();
    private final List<PodNode> nodes = new ArrayList<>();
    private final List<Member> killed = new ArrayList<>();
    private final SimulatedNode api;

    /**
     * Renders the chart, makes its Lease in the API server afresh (as {@code helm install} would; a Lease left by an
     * earlier test would carry that test's holder and events checkpoint) and starts {@code agents} pods, each on a
     * node named {@code <run>-node-<i>}, unique to this harness so that the API server's per-agent request counts
     * are this run's.
     */
    AgentPodsOfACluster(Path dir, int agents, SimulatedNode api, ElasticsearchProcess elasticsearch) {
        this.api = api;
        String run = "run" + RUNS.incrementAndGet();
        try {
            for (int i = 1; i <= agents; i++) {
                nodes.add(PodNode.create(run + "-node-" + i, Files.createDirectories(dir.resolve("node-" + i))));
            }
            InetSocketAddress apiServer = null;
            InetSocketAddress es = null;
            for (PodNode node : nodes) {
                apiServer = node.forPods(hostPort(api.apiServerUrl()));
                es = node.forPods(hostPort(elasticsearch.url()));
            }
            RenderedChart chart = RenderedChart.render(List.of(RenderedChart.scenario("logs-off"),
                    values(dir.resolve("cluster-values.yaml"), apiServer, es)), Map.of());
            makeLease(chart);
            for (PodNode node : nodes) {
                members.add(new Member(node, node.run(PodManifest.of(chart)), apiServer));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static Path values(Path file, InetSocketAddress apiServer, InetSocketAddress es) throws IOException {
        return Files.writeString(file, """
                hostNetwork: false
                elasticsearch:
                  urls: ["http://%s:%d"]
                readinessProbe: {initialDelaySeconds: 1, periodSeconds: 1}
                config:
                  kubernetes: {apiServer: "http://%s:%d", retryInitial: 200ms, retryMax: 2s}
                  metrics:
                    kubelet: {enabled: false}
                    node: {enabled: false}
                  logs:
                    batch: {linger: 100ms}
                  cluster:
                    leaseDuration: %ds
                    renewDeadline: %dms
                    retryPeriod: %dms
                    events: {dataStreamPrefix: %s}
                """.formatted(es.getHostString(), es.getPort(), apiServer.getHostString(), apiServer.getPort(),
                LEASE.toSeconds(), RENEW_DEADLINE.toMillis(), RETRY.toMillis(), EVENTS_PREFIX));
    }

    private void makeLease(RenderedChart chart) {
        Lease lease = api.client().getKubernetesSerialization().unmarshal(chart.ofKind("Lease").get(0).toString(), Lease.class);
        api.client().leases().inNamespace(lease.getMetadata().getNamespace()).withName(lease.getMetadata().getName())
                .delete();
        api.client().resource(lease).create();
    }

    /** Every member whose pod was not killed. */
    List<Member> running() {
        return members.stream().filter(m -> !killed.contains(m)).toList();
    }

    List<Member> leaders() {
        return Leaders.among(running(), Member::leads);
    }

    /** The one leader, once exactly one leads; fails the test when none or several do within 120 s. */
    Member awaitLeader() {
        return Leaders.awaitOne(this::running, Member::leads, Duration.ofSeconds(120));
    }

    Lease lease() {
        return api.client().leases().inNamespace(RenderedChart.NAMESPACE).withName(RenderedChart.RELEASE + "-cluster-leader")
                .get();
    }

    /** The member's process is SIGKILLed and its node is gone with it: no shutdown, so the Lease is not released. */
    void kill(Member m) {
        killed.add(m);
        m.pod.killWithNode();
    }

    /** Waits until every pod is ready (a follower is ready too: readiness does not depend on leading). */
    AgentPodsOfACluster awaitReady() {
        members.forEach(m -> m.pod.awaitReady(Duration.ofSeconds(120)));
        return this;
    }

    private static InetSocketAddress hostPort(String url) {
        URI uri = URI.create(url);
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Deletes the pods (SIGTERM, the grace period) and the nodes' networks. */
    @Override
    public void close() {
        nodes.forEach(PodNode::close);
    }
}

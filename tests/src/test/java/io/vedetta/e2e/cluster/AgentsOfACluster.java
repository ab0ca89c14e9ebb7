package io.vedetta.e2e.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.ApiProxy;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SimulatedCluster;
import io.vedetta.testkit.SimulatedNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Several packaged agents of one DaemonSet against one mock API server, each on a node of its own and each behind
 * its own {@link ApiProxy} so that one can be cut off. Short Lease timings keep the tests short; they are the
 * defaults' proportions (lease 4 s, renew deadline 3 s, retry 500 ms).
 */
final class AgentsOfACluster implements AutoCloseable {

    static final Duration LEASE = Duration.ofSeconds(4);
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(3);
    static final Duration RETRY = Duration.ofMillis(500);
    static final String NAMESPACE = "vedetta";
    static final String LEASE_NAME = "vedetta-cluster-leader";

    /** One agent: its node, proxy, directory and (while running) process. */
    static final class Member {
        final String name;
        final Path dir;
        final ApiProxy proxy;
        AgentProcess agent;

        Member(String name, Path dir, ApiProxy proxy) {
            this.name = name;
            this.dir = dir;
            this.proxy = proxy;
        }

        String metrics() {
            Http.Response r = Http.get(agent.url() + "/metrics");
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

        @Override
        public String toString() {
            return name;
        }
    }

    final SimulatedNode api = new SimulatedNode("api");
    final SimulatedCluster cluster = new SimulatedCluster(api.client());
    final List<Member> members = new ArrayList<>();
    private final String logsSettings;
    private final String sections;
    private final String clusterSettings;

    /** @param logsSettings more lines of the {@code logs} section (as for the 5-argument constructor) */
    AgentsOfACluster(Path dir, int agents, String logsSettings) {
        this(dir, agents, logsSettings, "", "");
    }

    /**
     * Where the events go is given as more lines of the agents' one {@code logs} section (e.g. its {@code sink})
     * and more top-level sections (e.g. {@code elasticsearch}), never as a second {@code logs} section: YAML keeps
     * the last of two equal keys, so a second one would drop the {@code stateDir} of each agent's own, and all
     * agents of all runs would share one events checkpoint in the default {@code /var/lib/vedetta}, resuming from
     * another mock API server's resource version and skipping this one's events.
     *
     * @param logsSettings    more lines of the {@code logs} section, indented by two spaces; {@code {dir}} is
     *                        replaced by each agent's directory
     * @param sections        more top-level sections
     * @param clusterSettings more lines of the {@code cluster} section, indented by two spaces
     */
    AgentsOfACluster(Path dir, int agents, String logsSettings, String sections, String clusterSettings) {
        if (logsSettings.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("  "))) {
            throw new IllegalArgumentException("the logs settings are lines of the harness's logs section, indented"
                    + " by two spaces: " + logsSettings);
        }
        for (String section : List.of("kubernetes", "metrics", "logs", "cluster", "logging", "http")) {
            if (sections.lines().anyMatch(l -> l.startsWith(section + ":"))) {
                throw new IllegalArgumentException("the " + section + " section is the harness's own: pass its"
                        + " settings as lines of it, not as a second section that would replace it");
            }
        }
        this.logsSettings = logsSettings;
        this.sections = sections;
        this.clusterSettings = clusterSettings;
        for (int i = 1; i <= agents; i++) {
            members.add(new Member("vedetta-" + i, dir.resolve("agent-" + i), new ApiProxy(api.apiServerUrl())));
        }
    }

    AgentsOfACluster startAll() {
        members.forEach(this::start);
        return this;
    }

    void start(Member m) {
        m.agent = AgentProcess.start(m.dir, """
                kubernetes:
                  apiServer: %s
                  retryInitial: 200ms
                  retryMax: 2s
                metrics:
                  kubelet: {enabled: false}
                  node: {enabled: false}
                logs:
                  enabled: false
                  stateDir: %s/state
                  batch: {linger: 100ms}
                %s
                %s
                cluster:
                  enabled: true
                  leaseDuration: %ds
                  renewDeadline: %dms
                  retryPeriod: %dms
                %s
                logging:
                  format: json
                """.formatted(m.proxy.url(), m.dir, logsSettings.replace("{dir}", m.dir.toString()), sections,
                LEASE.toSeconds(),
                RENEW_DEADLINE.toMillis(), RETRY.toMillis(), clusterSettings),
                Map.of("NODE_NAME", "node-" + m.name, "POD_NAME", m.name, "POD_NAMESPACE", NAMESPACE));
    }

    List<Member> running() {
        return members.stream().filter(m -> m.agent != null && m.agent.process().isAlive()).toList();
    }

    List<Member> leaders() {
        return running().stream().filter(Member::leads).toList();
    }

    /** The one leader, once exactly one leads; empty while none or several do. */
    Optional<Member> leader() {
        List<Member> leading = leaders();
        return leading.size() == 1 ? Optional.of(leading.get(0)) : Optional.empty();
    }

    Lease lease() {
        return api.client().leases().inNamespace(NAMESPACE).withName(LEASE_NAME).get();
    }

    /** SIGKILL: no shutdown hook, so the Lease is not released. */
    void kill(Member m) {
        m.agent.process().kill();
    }

    @Override
    public void close() {
        for (Member m : members) {
            if (m.agent != null) {
                m.agent.close();
            }
            m.proxy.close();
        }
        api.close();
    }
}

package io.vedetta.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.vedetta.e2e.cluster.AgentPodsOfACluster.Member;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SharedElasticsearch;
import io.vedetta.testkit.SimulatedCluster;
import io.vedetta.testkit.SimulatedNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two and three agents, each the chart's pod on a node of its own, against one API server (fabric8's mock, CRUD
 * mode, which refuses stale Lease writes with 409): one leads, only it exposes the cluster's series and ships events
 * (into a real Elasticsearch); a leader whose process is SIGKILLed with its node is replaced within leaseDuration +
 * retryPeriod and the series and events go on; a leader cut off from the API server (in its own network namespace,
 * so the others still reach it) stops exposing the cluster's series before another starts. The pods run off the
 * host network for that partition (see {@link AgentPodsOfACluster}). One API server and one Elasticsearch serve the
 * whole class: each test makes the chart's Lease afresh and names its nodes, deployments and events its own.
 */
@ExtendWith(SharedElasticsearch.class)
class ClusterLeadershipEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SimulatedNode api;
    private static SimulatedCluster cluster;
    private static ElasticsearchProcess elasticsearch;

    @TempDir
    Path dir;

    @BeforeAll
    static void apiServer(ElasticsearchProcess es) {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        elasticsearch = es;
        api = new SimulatedNode("api");
        cluster = new SimulatedCluster(api.client());
        cluster.typical("worker-1");
    }

    @AfterAll
    static void stopApiServer() {
        api.close();
    }

    @Test
    void twoAgentsElectExactlyOneLeaderThatAloneExposesTheClusterAndItsPendingPods() {
        try (AgentPodsOfACluster agents = new AgentPodsOfACluster(dir, 2, api, elasticsearch)) {
            Member leader = agents.awaitLeader();
            Member follower = other(agents, leader);
            assertTrue(Http.await(Duration.ofSeconds(30), leader::exposesClusterSeries), "the leader's series");
            // Over several renewals, one leader, and the follower exposes nothing of the cluster.
            long until = System.nanoTime() + AgentPodsOfACluster.LEASE.toNanos();
            while (System.nanoTime() < until) {
                assertEquals(List.of(leader), agents.leaders());
                assertFalse(follower.exposesClusterSeries(), "a follower exposes no cluster series");
            }
            String pending = "kube_pod_status_unschedulable{namespace=\"shop\",pod=\"payments-big-0\"";
            assertTrue(Http.await(Duration.ofSeconds(20), () -> leader.metrics().contains(pending)), leader.metrics());
            assertFalse(follower.metrics().contains("pod=\"payments-big-0\""), "a pod of no node is the leader's alone");
            assertEquals(leader.name, agents.lease().getSpec().getHolderIdentity());

            // Each agent names its node in its User-Agent; the follower asks for the Lease and its node's pods only
            // (the Lease the chart makes is free at first: both agents try to take it, and the loser's patch is refused).
            String node = follower.node.name();
            Map<String, Long> followerRequests = api.dispatcher().requests().entrySet().stream()
                    .filter(e -> e.getKey().endsWith("(" + node + ")")).findFirst().orElseThrow().getValue();
            Set<String> allowed = Set.of("list or get leases", "patch leases", "list or get pods (spec.nodeName=" + node + ")",
                    "watch pods (spec.nodeName=" + node + ")");
            assertTrue(allowed.containsAll(followerRequests.keySet()), "a follower's requests: " + followerRequests);
            Map<String, Long> leaderRequests = api.dispatcher().requests().entrySet().stream()
                    .filter(e -> e.getKey().endsWith("(" + leader.node.name() + ")")).findFirst().orElseThrow().getValue();
            assertTrue(leaderRequests.containsKey("watch replicasets") && leaderRequests.containsKey("patch leases")
                    && leaderRequests.containsKey("watch pods (spec.nodeName=)"), "the leader's: " + leaderRequests);
        }
    }

    @Test
    void aKilledLeaderIsReplacedWithinLeaseDurationPlusRetryPeriodAndSeriesAndEventsGoOn() {
        try (AgentPodsOfACluster agents = new AgentPodsOfACluster(dir, 3, api, elasticsearch)) {
            Member old = agents.awaitLeader();
            cluster.event("shop", "before.1", "Pulled", "Normal", "before the failover", "Pod", "web-0");
            assertTrue(Http.await(Duration.ofSeconds(30), () -> stored("before the failover")),
                    "the leader ships events to Elasticsearch");

            Lease held = agents.lease();
            agents.kill(old);
            ZonedDateTime lastRenewal = agents.lease().getSpec().getRenewTime();
            cluster.event("shop", "during.1", "Killing", "Normal", "while nobody leads", "Pod", "web-1");
            cluster.deployment("shop", "added-during-failover", 2, 2);

            Member next = agents.awaitLeader();
            assertTrue(next != old);
            Lease taken = agents.lease();
            assertEquals(next.name, taken.getSpec().getHolderIdentity());
            assertEquals(held.getSpec().getLeaseTransitions() + 1, taken.getSpec().getLeaseTransitions());
            Duration takeover = Duration.between(lastRenewal, taken.getSpec().getAcquireTime());
            assertTrue(takeover.compareTo(AgentPodsOfACluster.LEASE.plus(AgentPodsOfACluster.RETRY)) <= 0,
                    "taken over " + takeover.toMillis() + " ms after the killed leader's last renewal");

            assertTrue(Http.await(Duration.ofSeconds(30), () -> next.metrics()
                    .contains("kube_deployment_spec_replicas{deployment=\"added-during-failover\"")));
            // It saw the old leader, then itself: two changes of the holder, each counted (and logged).
            assertTrue(changes(next) >= 2, next.metrics());
            cluster.event("shop", "after.1", "Started", "Normal", "after the failover", "Pod", "web-2");
            assertTrue(Http.await(Duration.ofSeconds(30), () -> stored("after the failover")
                    && stored("while nobody leads")), "the new leader ships what happened meanwhile and what follows");
        }
    }

    @Test
    void aLeaderCutOffFromTheApiServerStopsExposingTheClusterBeforeAnotherStarts() {
        try (AgentPodsOfACluster agents = new AgentPodsOfACluster(dir, 2, api, elasticsearch)) {
            Member old = agents.awaitLeader();
            Member next = other(agents, old);
            assertTrue(Http.await(Duration.ofSeconds(30), old::exposesClusterSeries));

            old.partitionFromApiServer();
            long cutAt = System.nanoTime();
            long oldStopped = -1;
            long nextStarted = -1;
            while (nextStarted < 0 && System.nanoTime() - cutAt < Duration.ofSeconds(30).toNanos()) {
                // Both are asked each round, the old one first: the order of the two moments is what is tested.
                boolean oldExposes = old.exposesClusterSeries();
                boolean nextExposes = next.exposesClusterSeries();
                if (!oldExposes && oldStopped < 0) {
                    oldStopped = System.nanoTime();
                }
                if (nextExposes) {
                    nextStarted = System.nanoTime();
                    assertFalse(oldExposes, "both exposed the cluster's series at the same time");
                }
            }
            assertTrue(nextStarted > 0, "no agent took over from the cut-off leader");
            assertTrue(oldStopped > 0 && oldStopped < nextStarted, "the cut-off leader stopped after the new one started");
            assertTrue(old.metrics().contains("vedetta_cluster_leadership_lost_total{reason=\"renew_deadline\"} 1.0"),
                    old.metrics());
            assertFalse(old.leads());

            // Back in touch, it stays a follower of the new leader.
            old.healPartition();
            long until = System.nanoTime() + AgentPodsOfACluster.LEASE.toNanos();
            while (System.nanoTime() < until) {
                assertEquals(List.of(next), agents.leaders());
            }
        }
    }

    private static double changes(Member m) {
        return m.metrics().lines().filter(l -> l.startsWith("vedetta_cluster_leader_changes_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
    }

    private static Member other(AgentPodsOfACluster agents, Member m) {
        return agents.running().stream().filter(x -> x != m).findFirst().orElseThrow();
    }

    /** True once the event whose note is {@code note} is in Elasticsearch, in the events' own data stream. */
    private static boolean stored(String note) {
        String query = URLEncoder.encode("message:\"" + note + "\"", StandardCharsets.UTF_8);
        Http.Response response = Http.get(elasticsearch.url() + "/" + AgentPodsOfACluster.EVENTS_PREFIX
                + "shop/_search?q=" + query);
        if (response.status() != 200) {
            return false;
        }
        try {
            return JSON.readTree(response.body()).path("hits").path("total").path("value").asLong() > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.vedetta.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.vedetta.e2e.cluster.AgentsOfACluster.Member;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two and three packaged agents against one API server (fabric8's mock, CRUD mode, which refuses stale Lease
 * writes with 409): one leads, only it exposes the cluster's series and ships events; a killed leader is replaced
 * within leaseDuration + retryPeriod and the series and events go on; a leader cut off from the API server stops
 * exposing the cluster's series before another starts. Each agent's events go to a file of its own.
 */
class ClusterLeadershipEndToEndTest {

    private static final String FILE_SINK = "  sink: {type: file, path: \"{dir}/events.ndjson\"}";

    @TempDir
    Path dir;

    @Test
    void twoAgentsElectExactlyOneLeaderThatAloneExposesTheClusterAndItsPendingPods() {
        try (AgentsOfACluster agents = new AgentsOfACluster(dir, 2, FILE_SINK)) {
            agents.cluster.typical("node-vedetta-1");
            agents.startAll();

            Member leader = awaitLeader(agents);
            Member follower = other(agents, leader);
            assertTrue(Http.await(Duration.ofSeconds(30), leader::exposesClusterSeries), "the leader's series");
            // Over several renewals, one leader, and the follower exposes nothing of the cluster.
            long until = System.nanoTime() + AgentsOfACluster.LEASE.toNanos();
            while (System.nanoTime() < until) {
                assertEquals(List.of(leader), agents.leaders());
                assertFalse(follower.exposesClusterSeries(), "a follower exposes no cluster series");
            }
            String pending = "kube_pod_status_unschedulable{namespace=\"shop\",pod=\"payments-big-0\"";
            assertTrue(Http.await(Duration.ofSeconds(20), () -> leader.metrics().contains(pending)), leader.metrics());
            assertFalse(follower.metrics().contains("pod=\"payments-big-0\""), "a pod of no node is the leader's alone");
            assertEquals(leader.name, agents.lease().getSpec().getHolderIdentity());

            // Each agent names its node in its User-Agent; the follower asks for the Lease and its node's pods only.
            String node = "node-" + follower.name;
            Map<String, Long> followerRequests = agents.api.dispatcher().requests().entrySet().stream()
                    .filter(e -> e.getKey().endsWith("(" + node + ")")).findFirst().orElseThrow().getValue();
            Set<String> allowed = Set.of("list or get leases", "list or get pods (spec.nodeName=" + node + ")",
                    "watch pods (spec.nodeName=" + node + ")");
            assertTrue(allowed.containsAll(followerRequests.keySet()), "a follower's requests: " + followerRequests);
            Map<String, Long> leaderRequests = agents.api.dispatcher().requests().entrySet().stream()
                    .filter(e -> e.getKey().endsWith("(node-" + leader.name + ")")).findFirst().orElseThrow().getValue();
            assertTrue(leaderRequests.containsKey("watch replicasets") && leaderRequests.containsKey("patch leases")
                    && leaderRequests.containsKey("watch pods (spec.nodeName=)"), "the leader's: " + leaderRequests);
        }
    }

    @Test
    void aKilledLeaderIsReplacedWithinLeaseDurationPlusRetryPeriodAndSeriesAndEventsGoOn() {
        try (AgentsOfACluster agents = new AgentsOfACluster(dir, 3, FILE_SINK)) {
            agents.cluster.typical("node-vedetta-1");
            agents.startAll();
            Member old = awaitLeader(agents);
            agents.cluster.event("shop", "before.1", "Pulled", "Normal", "before the failover", "Pod", "web-0");
            assertTrue(Http.await(Duration.ofSeconds(30), () -> events(old).contains("before the failover")));
            // In the agent's own state directory, not in one shared by every agent and run: resuming from another
            // API server's version would skip this one's events up to it (the one created while nobody leads).
            assertTrue(Http.await(Duration.ofSeconds(30),
                    () -> Files.exists(old.dir.resolve("state").resolve("events-checkpoint.json"))),
                    "the leader keeps its events' checkpoint in its own logs.stateDir");

            Lease held = agents.lease();
            agents.kill(old);
            ZonedDateTime lastRenewal = agents.lease().getSpec().getRenewTime();
            agents.cluster.event("shop", "during.1", "Killing", "Normal", "while nobody leads", "Pod", "web-1");
            agents.cluster.deployment("shop", "added-during-failover", 2, 2);

            Member next = awaitLeader(agents);
            assertTrue(next != old);
            Lease taken = agents.lease();
            assertEquals(next.name, taken.getSpec().getHolderIdentity());
            assertEquals(held.getSpec().getLeaseTransitions() + 1, taken.getSpec().getLeaseTransitions());
            Duration takeover = Duration.between(lastRenewal, taken.getSpec().getAcquireTime());
            assertTrue(takeover.compareTo(AgentsOfACluster.LEASE.plus(AgentsOfACluster.RETRY)) <= 0,
                    "taken over " + takeover.toMillis() + " ms after the killed leader's last renewal");

            assertTrue(Http.await(Duration.ofSeconds(30), () -> next.metrics()
                    .contains("kube_deployment_spec_replicas{deployment=\"added-during-failover\"")));
            // It saw the old leader, then itself: two changes of the holder, each counted (and logged).
            assertTrue(changes(next) >= 2, next.metrics());
            agents.cluster.event("shop", "after.1", "Started", "Normal", "after the failover", "Pod", "web-2");
            assertTrue(Http.await(Duration.ofSeconds(30), () -> events(next).contains("after the failover")
                    && events(next).contains("while nobody leads")), "the new leader ships what happened meanwhile"
                    + " and what follows: " + events(next));
        }
    }

    @Test
    void aLeaderCutOffFromTheApiServerStopsExposingTheClusterBeforeAnotherStarts() {
        try (AgentsOfACluster agents = new AgentsOfACluster(dir, 2, FILE_SINK)) {
            agents.cluster.typical("node-vedetta-1");
            agents.startAll();
            Member old = awaitLeader(agents);
            Member next = other(agents, old);
            assertTrue(Http.await(Duration.ofSeconds(30), old::exposesClusterSeries));

            old.proxy.cut();
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
            old.proxy.restore();
            long until = System.nanoTime() + AgentsOfACluster.LEASE.toNanos();
            while (System.nanoTime() < until) {
                assertEquals(List.of(next), agents.leaders());
            }
        }
    }

    private static Member awaitLeader(AgentsOfACluster agents) {
        Member[] found = new Member[1];
        assertTrue(Http.await(Duration.ofSeconds(60), () -> {
            found[0] = agents.leader().orElse(null);
            return found[0] != null;
        }), "no single leader among " + agents.running());
        return found[0];
    }

    private static double changes(Member m) {
        return m.metrics().lines().filter(l -> l.startsWith("vedetta_cluster_leader_changes_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
    }

    private static Member other(AgentsOfACluster agents, Member m) {
        return agents.running().stream().filter(x -> x != m).findFirst().orElseThrow();
    }

    private static String events(Member m) {
        Path file = m.dir.resolve("events.ndjson");
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

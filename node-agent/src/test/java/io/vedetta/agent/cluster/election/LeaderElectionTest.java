package io.vedetta.agent.cluster.election;

import io.vedetta.testing.Await;
import io.vedetta.agent.kube.KubeClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.config.ClusterConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several electors against fabric8's mock API server in CRUD mode, which refuses a Lease write carrying a stale
 * resourceVersion with 409 as the real API server does (pinned by the test kit's MockApiServerConcurrencyTest).
 */
class LeaderElectionTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
            new HashMap<>(), new KubernetesCrudDispatcher(), false);
    private final List<AutoCloseable> closing = new ArrayList<>();

    LeaderElectionTest() {
        server.init(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        server.destroy();
    }

    /** An elector with its own client, recording what leadership told it. */
    private final class Agent implements LeaderElection.Listener, AutoCloseable {
        final String name;
        final KubernetesClient client =
                KubeClients.reconfigured(server.createClient(new JdkHttpClientFactory()), b -> b);
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile Optional<String> checkpoint = Optional.empty();
        volatile java.time.Instant ledSince;
        final LeaderElection election;

        Agent(String name) {
            this.name = name;
            this.election = new LeaderElection(client, config(name), () -> checkpoint, this, new SimpleMeterRegistry());
            closing.add(this);
            election.start();
        }

        @Override
        public void startLeading(Optional<String> carried) {
            ledSince = java.time.Instant.now();
            calls.add("start " + carried.orElse("-"));
        }

        @Override
        public void stopLeading(String reason) {
            calls.add("stop " + reason);
        }

        @Override
        public void close() {
            election.stop(Duration.ofSeconds(5));
            client.close();
        }
    }

    private static ClusterConfig config(String identity) {
        return new ClusterConfig(true, "vedetta", identity, "vedetta-cluster-leader", LEASE, Duration.ofSeconds(2),
                Duration.ofMillis(500), true, new ClusterConfig.Events(true, "e-", "e"), Path.of("/tmp"));
    }

    @Test
    void exactlyOneOfThreeLeads() {
        Agent a = new Agent("a");
        Agent b = new Agent("b");
        Agent c = new Agent("c");

        Await.until("a leader", () -> count(a, b, c) == 1);
        Agent leader = a.election.leading() ? a : b.election.leading() ? b : c;
        assertEquals(leader.name, lease().getSpec().getHolderIdentity());
        // Several renewals later there is never a second one. (The leader itself may step down on a machine too
        // loaded to renew within the deadline, which is what it must then do; a second leader is never right.)
        long until = System.nanoTime() + LEASE.toNanos();
        while (System.nanoTime() < until) {
            assertTrue(count(a, b, c) <= 1, "two agents lead at once");
            Thread.onSpinWait();
        }
        Await.until("a leader", () -> count(a, b, c) == 1);
        assertEquals("start -", leader.calls.get(0));
    }

    @Test
    void aStoppedLeaderReleasesTheLeaseAndAnotherTakesOverWithoutWaitingItOut() {
        Agent a = new Agent("a");
        Await.until("a leads", a.election::leading);
        Agent b = new Agent("b");

        long stoppedAt = System.nanoTime();
        a.close();
        assertFalse(a.election.leading());
        assertEquals(List.of("start -", "stop stopped"), a.calls);
        Await.until("b leads", b.election::leading);
        assertTrue(System.nanoTime() - stoppedAt < LEASE.toNanos(),
                "b took over after " + (System.nanoTime() - stoppedAt) / 1_000_000 + " ms, not after the lease ran out");
    }

    @Test
    void theEventsCheckpointTravelsToTheNextLeaderOnTheLease() {
        Agent a = new Agent("a");
        Await.until("a leads", a.election::leading);
        a.checkpoint = Optional.of("4242");
        Await.until("the checkpoint is on the Lease", () -> "4242".equals(
                lease().getMetadata().getAnnotations().get(ElectionLock.CHECKPOINT_ANNOTATION)));
        Agent b = new Agent("b");
        a.close();

        Await.until("b leads", b.election::leading);
        Await.until("b was told", () -> !b.calls.isEmpty());
        assertEquals("start 4242", b.calls.get(0));
        assertEquals("4242", lease().getMetadata().getAnnotations().get(ElectionLock.CHECKPOINT_ANNOTATION),
                "b's writes leave the annotation until it has a checkpoint of its own");
    }

    @Test
    void aLeaderWhoseLeaseIsTakenStopsAndCompetesAgain() {
        Agent a = new Agent("a");
        Await.until("a leads", a.election::leading);
        // Another holder (an operator's kubectl, a second release) overwrites the Lease.
        KubernetesClient admin = server.createClient(new JdkHttpClientFactory());
        closing.add(admin);
        Await.until("the intruder's write lands between two renewals", () -> {
            Lease lease = lease();
            lease.getSpec().setHolderIdentity("intruder");
            lease.getSpec().setRenewTime(java.time.ZonedDateTime.now());
            try {
                admin.resource(lease).update();
                return true;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                assertEquals(409, e.getCode(), "only a conflict with a renewal may refuse it");
                return false;
            }
        });

        Await.until("a stops", () -> !a.election.leading());
        assertEquals("stop lease_lost", a.calls.get(a.calls.size() - 1));
        // Nobody renews the intruder's holding: a leads again once it expires.
        Await.until("a leads again", a.election::leading);
    }

    @Test
    void theEmptyLeaseTheChartMakesIsAcquired() {
        KubernetesClient admin = server.createClient(new JdkHttpClientFactory());
        closing.add(admin);
        admin.leases().inNamespace("vedetta").resource(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                .withNewMetadata().withName("vedetta-cluster-leader").withNamespace("vedetta").endMetadata()
                .withNewSpec().endSpec().build()).create();

        Agent a = new Agent("a");

        Await.until("a leads", a.election::leading);
        assertEquals("a", lease().getSpec().getHolderIdentity());
        assertEquals(3, lease().getSpec().getLeaseDurationSeconds());
    }

    /**
     * A leader that stops renewing without releasing (killed, its node lost) is replaced within leaseDuration +
     * retryPeriod of its last renewal, whatever fabric8's jittered acquire loop would have waited.
     */
    @Test
    void aLeaderThatVanishedIsReplacedWithinLeaseDurationPlusRetryPeriod() {
        KubernetesClient admin = server.createClient(new JdkHttpClientFactory());
        closing.add(admin);
        java.time.ZonedDateTime lastRenewal = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
        admin.leases().inNamespace("vedetta").resource(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                .withNewMetadata().withName("vedetta-cluster-leader").withNamespace("vedetta").endMetadata()
                .withNewSpec().withHolderIdentity("killed").withLeaseDurationSeconds(3).withAcquireTime(lastRenewal)
                .withRenewTime(lastRenewal).withLeaseTransitions(0).endSpec().build()).create();
        Agent b = new Agent("b");
        Agent c = new Agent("c");

        Await.until("a follower leads", () -> b.election.leading() || c.election.leading());
        Agent leader = b.election.leading() ? b : c;
        Await.until("the new leader's listener hears of it", () -> leader.ledSince != null);
        // Safety: nobody led before the lease ran out. fabric8 writes as acquireTime the instant its attempt began,
        // before it read the Lease and saw it expired, so the time the new leader started is what is compared here.
        Duration led = Duration.between(lastRenewal.toInstant(), leader.ledSince);
        assertTrue(led.compareTo(LEASE) >= 0, "led before the lease expired: " + led);
        // Liveness: the winning attempt began within one retry period of the expiry.
        Duration attempt = Duration.between(lastRenewal, lease().getSpec().getAcquireTime());
        assertTrue(attempt.compareTo(LEASE.plus(config("x").retryPeriod())) <= 0,
                "taken over " + attempt.toMillis() + " ms after the last renewal");
        assertEquals(1, count(b, c));
    }

    private Lease lease() {
        KubernetesClient client = server.createClient(new JdkHttpClientFactory());
        try {
            return client.leases().inNamespace("vedetta").withName("vedetta-cluster-leader").get();
        } finally {
            client.close();
        }
    }

    private static long count(Agent... agents) {
        return java.util.Arrays.stream(agents).filter(x -> x.election.leading()).count();
    }

}

package io.vedetta.testkit;

import io.vedetta.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the multi-agent tests rely on in the simulated API server: optimistic concurrency on Lease writes (fabric8's
 * CRUD mode, checked here first because leader election proves nothing without it), pod field selectors on node
 * names, and an events watch cache with replay, 410 Gone and bookmarks.
 */
class ClusterCrudDispatcherTest {

    private final SimulatedNode api = new SimulatedNode("node-a");
    private final KubernetesClient client = api.client();

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void aLeaseWriteWithAStaleResourceVersionIsRefusedWith409() {
        Lease created = client.leases().inNamespace("vedetta").resource(new LeaseBuilder().withNewMetadata()
                .withName("l").withNamespace("vedetta").endMetadata().withNewSpec().withHolderIdentity("a").endSpec()
                .build()).create();
        client.leases().inNamespace("vedetta").resource(new LeaseBuilder(created).editSpec().withHolderIdentity("b")
                .endSpec().build()).update();

        Lease stale = new LeaseBuilder(created).editSpec().withHolderIdentity("c").endSpec().build();
        assertEquals(409, assertThrows(KubernetesClientException.class,
                () -> client.leases().inNamespace("vedetta").resource(stale).update()).getCode(), "PUT");
        assertEquals(409, assertThrows(KubernetesClientException.class,
                () -> client.resource(stale).patch(PatchContext.of(PatchType.JSON_MERGE))).getCode(),
                "JSON merge patch, as fabric8's Lease lock writes");
        assertEquals(409, assertThrows(KubernetesClientException.class, () -> client.leases().inNamespace("vedetta")
                .resource(new LeaseBuilder().withNewMetadata().withName("l").withNamespace("vedetta").endMetadata()
                        .build()).create()).getCode(), "a second create");
        assertEquals("b", client.leases().inNamespace("vedetta").withName("l").get().getSpec().getHolderIdentity());
    }

    @Test
    void podsAreSelectedByNodeNameIncludingNoNode() {
        api.addRunningPod("shop", "web-0", "web", "app");
        new SimulatedCluster(client).pendingPod("shop", "big-0");

        assertEquals(List.of("web-0"), names(client.pods().inAnyNamespace().withField("spec.nodeName", "node-a").list()
                .getItems()));
        assertEquals(List.of("big-0"), names(client.pods().inAnyNamespace().withField("spec.nodeName", "").list()
                .getItems()));
        assertEquals(List.of(), names(client.pods().inAnyNamespace().withField("spec.nodeName", "node-b").list()
                .getItems()));
    }

    @Test
    void aPodScheduledToANodeLeavesTheUnscheduledWatchAndJoinsTheNodes() {
        new SimulatedCluster(client).pendingPod("shop", "big-0");
        Recorder<Pod> unscheduled = new Recorder<>();
        Recorder<Pod> nodeA = new Recorder<>();
        try (Watch w1 = client.pods().inAnyNamespace().withField("spec.nodeName", "").watch(unscheduled);
                Watch w2 = client.pods().inAnyNamespace().withField("spec.nodeName", "node-a").watch(nodeA)) {
            Await.until("the pending pod in the unscheduled watch", () -> unscheduled.seen.contains("ADDED big-0"));

            client.pods().inNamespace("shop").withName("big-0").edit(p -> {
                p.getSpec().setNodeName("node-a");
                return p;
            });

            Await.until("the pod moved to node-a's watch", () -> unscheduled.seen.contains("DELETED big-0") && nodeA.seen.contains("ADDED big-0"));
            assertEquals(List.of("ADDED big-0", "DELETED big-0"), unscheduled.seen);
            assertEquals(List.of("ADDED big-0"), nodeA.seen);
        }
    }

    @Test
    void anEventsWatchFromAVersionReplaysEveryChangeAfterIt() {
        SimulatedCluster cluster = new SimulatedCluster(client);
        Event first = cluster.event("shop", "e1", "Pulled", "Normal", "pulled", "Pod", "web-0");
        cluster.repeat("shop", "e1");
        cluster.event("shop", "e2", "Started", "Normal", "started", "Pod", "web-0");
        Event third = cluster.repeat("shop", "e1");

        Recorder<Event> recorder = new Recorder<>();
        try (Watch w = client.events().v1().events().inAnyNamespace().watch(new ListOptionsBuilder()
                .withResourceVersion(first.getMetadata().getResourceVersion()).build(), recorder)) {
            Await.until("three event versions", () -> recorder.versions.size() == 3);
            assertEquals(List.of("MODIFIED e1", "ADDED e2", "MODIFIED e1"), recorder.seen);
            assertEquals(third.getMetadata().getResourceVersion(), recorder.versions.get(2));
        }
    }

    @Test
    void anEventsWatchFromACompactedVersionIsGoneAndBookmarksReachThoseWhoAsk() {
        SimulatedCluster cluster = new SimulatedCluster(client);
        Event first = cluster.event("shop", "e1", "Pulled", "Normal", "pulled", "Pod", "web-0");
        Event second = cluster.repeat("shop", "e1");
        api.dispatcher().compactEvents(Long.parseLong(second.getMetadata().getResourceVersion()));

        Recorder<Event> gone = new Recorder<>();
        try (Watch w = client.events().v1().events().inAnyNamespace().watch(new ListOptionsBuilder()
                .withResourceVersion(first.getMetadata().getResourceVersion()).build(), gone)) {
            Await.until("the watch closed", () -> gone.closed != null);
            assertTrue(gone.closed.isHttpGone(), gone.closed.toString());
        }

        Recorder<Event> bookmarked = new Recorder<>();
        try (Watch w = client.events().v1().events().inAnyNamespace().watch(new ListOptionsBuilder()
                .withResourceVersion(second.getMetadata().getResourceVersion()).withAllowWatchBookmarks(true).build(),
                bookmarked)) {
            Await.until("a bookmark", () -> {
                api.dispatcher().sendEventBookmarks();
                return bookmarked.seen.contains("BOOKMARK ");
            });
        }
    }

    private static final class Recorder<T extends io.fabric8.kubernetes.api.model.HasMetadata> implements Watcher<T> {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final List<String> versions = new CopyOnWriteArrayList<>();
        volatile WatcherException closed;

        @Override
        public void eventReceived(Action action, T resource) {
            String name = resource == null || resource.getMetadata().getName() == null ? ""
                    : resource.getMetadata().getName();
            seen.add(action + " " + name);
            if (action != Action.BOOKMARK) {
                versions.add(resource.getMetadata().getResourceVersion());
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            closed = cause;
        }
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }

}

package io.vedetta.agent.cluster.events;

import io.vedetta.testing.Await;
import io.vedetta.agent.kube.KubeClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.kube.WatchErrors;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.record.SinkRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events source against fabric8's mock API server (CRUD mode) and a sink that records what it is given. */
class EventsSourceTest {

    @TempDir
    Path stateDir;

    private final CompactingDispatcher dispatcher = new CompactingDispatcher();
    private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
            new HashMap<>(), dispatcher, false);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KubernetesClient client;
    private final RecordingSink sink = new RecordingSink();
    private EventsSource source;

    EventsSourceTest() {
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = KubeClients.reconfigured(server.createClient(new JdkHttpClientFactory()), b -> b);
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        client.close();
        server.destroy();
    }

    /** Keeps every record by id, the document as JSON; acknowledges at once unless held. */
    static final class RecordingSink implements Sink {
        final Map<String, JsonNode> stored = new ConcurrentHashMap<>();
        final List<SinkRecord> held = new CopyOnWriteArrayList<>();
        volatile boolean hold;
        int sent;

        @Override
        public synchronized CompletableFuture<Void> send(List<SinkRecord> batch) {
            for (SinkRecord r : batch) {
                sent++;
                stored.put(r.id().toString(), json(r));
                if (hold) {
                    held.add(r);
                } else {
                    r.ack().acknowledge();
                }
            }
            return CompletableFuture.completedFuture(null);
        }

        void release() {
            hold = false;
            held.forEach(r -> r.ack().acknowledge());
            held.clear();
        }

        @Override
        public void close() {
        }

        private static JsonNode json(SinkRecord r) {
            StringWriter out = new StringWriter();
            try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
                r.document().writeTo(g);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                return new ObjectMapper().readTree(out.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * CRUD mode, except that a watch of the events from a version older than {@link #compactedTo} is answered as the
     * API server answers one from a version etcd has compacted away: an ERROR event with a 410 Status, then the end.
     */
    static final class CompactingDispatcher extends KubernetesCrudDispatcher {
        volatile long compactedTo;

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            java.util.regex.Matcher rv = java.util.regex.Pattern.compile("resourceVersion=(\\d+)")
                    .matcher(request.getPath());
            if (request.getPath().startsWith("/apis/events.k8s.io/v1/events") && request.getPath().contains("watch=true")
                    && rv.find() && Long.parseLong(rv.group(1)) < compactedTo) {
                String gone = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,"
                        + "\"message\":\"too old resource version: " + rv.group(1) + " (" + compactedTo + ")\"}}";
                return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket socket, Response response) {
                        socket.send(gone);
                        socket.close(1000, "too old resource version");
                    }
                });
            }
            return super.dispatch(request);
        }
    }

    private EventsSource source() {
        return new EventsSource(client, sink, stateDir, registry,
                new WatchErrors(new SimpleMeterRegistry()), Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    private Event create(String namespace, String name, String reason) {
        return client.events().v1().events().inNamespace(namespace).resource(new EventBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withReason(reason).withType("Warning").withAction("Scheduling").withNote("0/3 nodes are available")
                .withReportingController("default-scheduler").withReportingInstance("scheduler-1")
                .withEventTime(new io.fabric8.kubernetes.api.model.MicroTime("2026-11-25T10:00:00.123456Z"))
                .withNewRegarding().withKind("Pod").withName("web-0").withNamespace(namespace).withUid("pod-uid")
                .withApiVersion("v1").endRegarding().build()).create();
    }

    @Test
    void listsThenWatchesAndStoresEachUpdateUnderItsUidAndVersion() {
        Event first = create("shop", "web-0.1", "FailedScheduling");
        source = source();
        source.start(Optional.empty());
        Await.until("listed", () -> sink.stored.size() == 1);
        Event second = create("shop", "web-0.2", "FailedScheduling");
        Event updated = client.events().v1().events().inNamespace("shop").withName("web-0.1").edit(e -> {
            e.setSeries(new io.fabric8.kubernetes.api.model.events.v1.EventSeries(5,
                    new io.fabric8.kubernetes.api.model.MicroTime("2026-11-25T10:05:00.000000Z")));
            return e;
        });

        Await.until("watched", () -> sink.stored.size() == 3);
        assertTrue(sink.stored.containsKey(first.getMetadata().getUid() + "-" + first.getMetadata().getResourceVersion()));
        assertTrue(sink.stored.containsKey(second.getMetadata().getUid() + "-" + second.getMetadata().getResourceVersion()));
        JsonNode doc = sink.stored.get(updated.getMetadata().getUid() + "-" + updated.getMetadata().getResourceVersion());
        JsonNode event = doc.path("kubernetes").path("event");
        assertEquals("FailedScheduling", event.path("reason").asText());
        assertEquals("Warning", event.path("type").asText());
        assertEquals(5, event.path("count").asInt());
        assertEquals("2026-11-25T10:00:00.123456Z", event.path("first_timestamp").asText());
        assertEquals("2026-11-25T10:05:00Z", event.path("last_timestamp").asText());
        assertEquals("2026-11-25T10:05:00Z", doc.path("@timestamp").asText());
        assertEquals("0/3 nodes are available", doc.path("message").asText());
        assertEquals("default-scheduler", event.path("reporting_controller").asText());
        assertEquals("Pod", event.path("regarding").path("kind").asText());
        assertEquals("web-0", event.path("regarding").path("name").asText());
        assertEquals("shop", doc.path("kubernetes").path("namespace").asText());
        Await.until("checkpoint", () -> source.checkpoint().equals(Optional.of(updated.getMetadata().getResourceVersion())));
    }

    @Test
    void theCheckpointWaitsForTheSinkAndIsKeptInTheStateDirectory() throws IOException {
        create("shop", "a", "Pulled");
        sink.hold = true;
        source = source();
        source.start(Optional.empty());
        Await.until("listed", () -> sink.held.size() == 1);
        assertEquals(Optional.empty(), source.checkpoint(), "nothing is acknowledged yet");

        sink.release();
        Await.until("checkpoint", () -> source.checkpoint().isPresent());
        String reached = source.checkpoint().orElseThrow();
        Await.until("saved", () -> Files.exists(stateDir.resolve(CheckpointFile.NAME)));
        source.stop(Duration.ofSeconds(1));
        assertEquals(Optional.of(reached), new CheckpointFile(stateDir).read());
    }

    @Test
    void resumesWithoutAListFromTheLeasesCheckpointElseTheStoredOne() throws Exception {
        new CheckpointFile(stateDir).write("7");
        create("shop", "a", "Pulled");
        drainRequests();
        source = source();
        source.start(Optional.of("3"));
        Await.until("watched", () -> !sink.stored.isEmpty());
        assertEquals(List.of("watch from 3"), drainRequests());
        source.stop(Duration.ofSeconds(1));

        String saved = new CheckpointFile(stateDir).read().orElseThrow();
        source.start(Optional.empty());
        Await.until("watching", () -> server.getRequestCount() > 0 && !pending().isEmpty());
        assertEquals(List.of("watch from " + saved), drainRequests());
    }

    @Test
    void aCheckpointTheApiServerNoLongerHasIsGoneAndTheEventsAreListedAgainConsistently() throws Exception {
        Event before = create("shop", "a", "Pulled");
        Event after = create("shop", "b", "Pulled");
        // Compacted up to the latest change: a watch from the checkpoint is gone, one from a fresh list is not.
        dispatcher.compactedTo = Long.parseLong(after.getMetadata().getResourceVersion());
        drainRequests();
        source = source();
        source.start(Optional.of(before.getMetadata().getResourceVersion()));

        Await.until("listed again", () -> sink.stored.size() == 2);
        List<String> requests = drainRequests();
        assertEquals("watch from " + before.getMetadata().getResourceVersion(), requests.get(0), requests.toString());
        assertEquals("list from ", requests.get(1), "a consistent list, not one from the watch cache: " + requests);
        assertTrue(sink.stored.containsKey(after.getMetadata().getUid() + "-" + after.getMetadata().getResourceVersion()),
                "the update made while the checkpoint aged is stored: " + sink.stored.keySet());
        Event later = create("shop", "c", "Pulled");
        Await.until("watched from the list", () -> sink.stored.containsKey(later.getMetadata().getUid() + "-"
                + later.getMetadata().getResourceVersion()));
        assertEquals(1.0, registry.get("vedetta_cluster_events_relists").tag("reason", EventsMetrics.GONE).counter().count(),
                "listed again once, then watched from the list");
    }

    @Test
    void withoutACheckpointItListsFromTheWatchCache() throws Exception {
        drainRequests();
        source = source();
        source.start(Optional.empty());
        Await.until("watching", () -> pending().size() >= 2);
        List<String> requests = drainRequests();
        assertEquals("list from 0", requests.get(0));
        assertTrue(requests.get(1).startsWith("watch from "), requests.toString());
    }

    private final List<String> seen = new CopyOnWriteArrayList<>();

    /** Event requests made and not yet drained, as "list from RV" or "watch from RV". */
    private List<String> pending() {
        try {
            io.fabric8.mockwebserver.http.RecordedRequest request;
            while ((request = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                String path = request.getPath();
                if (!path.startsWith("/apis/events.k8s.io/v1/events")) {
                    continue;
                }
                java.util.regex.Matcher rv = java.util.regex.Pattern.compile("resourceVersion=([^&]*)").matcher(path);
                seen.add((path.contains("watch=true") ? "watch from " : "list from ") + (rv.find() ? rv.group(1) : ""));
                assertTrue(!path.contains("watch=true") || path.contains("allowWatchBookmarks=true"), path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(seen);
    }

    private List<String> drainRequests() {
        List<String> out = pending();
        seen.clear();
        return out;
    }

}

package io.vedetta.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.vedetta.e2e.cluster.AgentsOfACluster.Member;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SharedElasticsearch;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 Kubernetes events, a fifth of them updated, written while the leading agent is SIGKILLed and later while
 * the next leader is restarted: every update of every event is in a real Elasticsearch exactly once. The API
 * server's watch cache replays from a version ({@link io.vedetta.testkit.ClusterCrudDispatcher}), as the real one
 * does, so this shows that each leader resumes where the last one's deliveries were acknowledged (the checkpoint
 * on the Lease) and that what is shipped twice on the way is stored once (ids from uid and resource version).
 */
@ExtendWith(SharedElasticsearch.class)
class EventsExactlyOnceEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 10_000;
    private static final String STREAMS = "logs-eo.events-";
    private static final int WRITERS = 4;

    @TempDir
    Path dir;

    @Test
    void tenThousandEventsWithUpdatesAcrossAFailoverAndARestartAreEachStoredOnce(ElasticsearchProcess es)
            throws Exception {
        String sink = """
                elasticsearch:
                  urls: ["%s"]
                  index: {dataStreamPrefix: logs-eo.container-}
                  template: {name: vedetta-eo}
                  retry: {initial: 100ms, max: 2s}""".formatted(es.url());
        String events = "  events: {dataStreamPrefix: " + STREAMS + "}";
        Set<String> written = ConcurrentHashMap.newKeySet();
        // 12,000 writes: the mock server's line per request would be most of this test's output.
        Logger.getLogger("io.fabric8.mockwebserver.MockWebServer").setLevel(Level.WARNING);
        try (AgentsOfACluster agents = new AgentsOfACluster(dir, 2, "", sink, events);
                RestClient client = RestClient.builder(HttpHost.create(es.url())).build()) {
            agents.startAll();
            Member first = awaitLeader(agents);
            // A first event delivered and its checkpoint on the Lease: from now on a new leader resumes, not relists.
            written.add(id(agents.cluster.event("ns0", "warm-up", "Pulled", "Normal", "warm-up", "Pod", "p")));
            assertTrue(Http.await(Duration.ofSeconds(60), () -> agents.lease().getMetadata().getAnnotations() != null
                    && agents.lease().getMetadata().getAnnotations().containsKey("vedetta.io/events-resource-version")),
                    "the leader carries its checkpoint on the Lease");

            write(agents, written, 0, 3_000);
            agents.kill(first);
            write(agents, written, 3_000, 6_000);
            Member second = awaitLeader(agents);
            agents.start(first);
            write(agents, written, 6_000, 8_000);
            // A graceful restart of the leader: it releases the Lease with its last checkpoint.
            assertEquals(143, second.agent.process().stop(30));
            write(agents, written, 8_000, 9_000);
            agents.start(second);
            write(agents, written, 9_000, EVENTS);
            awaitLeader(agents);

            assertTrue(Http.await(Duration.ofMinutes(3), () -> count(client) >= written.size()),
                    "stored " + count(client) + " of " + written.size());
            List<String> stored = storedIds(client);
            Map<String, Integer> copies = new HashMap<>();
            stored.forEach(id -> copies.merge(id, 1, Integer::sum));
            List<String> twice = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            assertEquals(List.of(), twice, "updates stored more than once");
            Set<String> missing = new TreeSet<>(written);
            missing.removeAll(copies.keySet());
            assertEquals(Set.of(), missing, "updates never stored");
            assertEquals(written.size(), stored.size());
            assertTrue(written.size() > EVENTS, "the events were updated too: " + written.size());
        }
    }

    /**
     * Events {@code from} to {@code to}, spread over five namespaces, by four writers at once (as many controllers
     * write); every fifth is then updated once.
     */
    private static void write(AgentsOfACluster agents, Set<String> written, int from, int to) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int first = from + w;
                done.add(writers.submit(() -> {
                    for (int i = first; i < to; i += WRITERS) {
                        String ns = "ns" + i % 5;
                        written.add(id(agents.cluster.event(ns, "e" + i, i % 2 == 0 ? "Pulled" : "BackOff",
                                i % 2 == 0 ? "Normal" : "Warning", "event " + i, "Pod", "pod-" + i % 100)));
                        if (i % 5 == 0) {
                            written.add(id(agents.cluster.repeat(ns, "e" + i)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdown();
        }
    }

    private static String id(Event e) {
        return e.getMetadata().getUid() + "-" + e.getMetadata().getResourceVersion();
    }

    private static Member awaitLeader(AgentsOfACluster agents) {
        Member[] found = new Member[1];
        assertTrue(Http.await(Duration.ofSeconds(60), () -> {
            found[0] = agents.leader().orElse(null);
            return found[0] != null;
        }), "no single leader");
        return found[0];
    }

    private static long count(RestClient client) {
        try {
            call(client, "POST", "/" + STREAMS + "*/_refresh", null);
            return call(client, "GET", "/" + STREAMS + "*/_count", null).path("count").asLong();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The {@code _id} of every stored event document, duplicates kept (one per data stream backing index). */
    private static List<String> storedIds(RestClient client) throws IOException {
        List<String> out = new ArrayList<>();
        JsonNode page = call(client, "POST", "/" + STREAMS + "*/_search?scroll=1m",
                "{\"size\":5000,\"_source\":[\"kubernetes.event.uid\",\"kubernetes.event.resource_version\"],"
                        + "\"sort\":[\"_doc\"]}");
        while (page.path("hits").path("hits").size() > 0) {
            for (JsonNode hit : page.path("hits").path("hits")) {
                JsonNode event = hit.path("_source").path("kubernetes").path("event");
                String id = event.path("uid").asText() + "-" + event.path("resource_version").asText();
                assertEquals(hit.path("_id").asText(), id, "a document's _id is its event's uid and version");
                out.add(id);
            }
            page = call(client, "POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\""
                    + page.path("_scroll_id").asText() + "\"}");
        }
        return out;
    }

    private static JsonNode call(RestClient client, String method, String path, String body) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setEntity(new NStringEntity(body, ContentType.APPLICATION_JSON));
        }
        try {
            return JSON.readTree(client.performRequest(request).getEntity().getContent());
        } catch (ResponseException e) {
            throw new IOException(method + " " + path + ": " + e.getResponse().getStatusLine(), e);
        }
    }
}

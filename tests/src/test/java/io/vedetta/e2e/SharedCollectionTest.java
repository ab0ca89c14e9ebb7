package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SimulatedKubelet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent's scrapes against a simulated kubelet that counts its requests: what concurrent scrapes, HEAD
 * requests and {@code name[]} filters cost the kubelet.
 */
class SharedCollectionTest {

    private static final List<String> ENDPOINTS = List.of("/metrics/cadvisor", "/metrics/resource", "/metrics");

    @TempDir
    Path dir;
    private final SimulatedKubelet kubelet = new SimulatedKubelet();
    private AgentProcess agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        kubelet.close();
    }

    /** A fresh agent, so that no collection of an earlier scrape is within its share window. */
    private void start(String shareWindow) {
        agent = AgentProcess.start(dir.resolve("agent"), """
                kubernetes: {enabled: false}
                metrics:
                  kubelet:
                    enabled: true
                    url: %s
                    caFile: ""
                    tokenFile: ""
                    sources: {cadvisor: true, resource: true, kubelet: true}
                  sources: {shareWindow: %s}
                logging: {format: text}
                """.formatted(kubelet.url(), shareWindow), Map.of());
    }

    private List<Integer> requests() {
        return ENDPOINTS.stream().map(kubelet::requests).toList();
    }

    @Test
    void eightConcurrentScrapesCostTheKubeletOneRequestPerEndpoint() throws Exception {
        start("5s");
        assertEquals(List.of(0, 0, 0), requests(), "nothing scraped the agent yet");
        ExecutorService scrapers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Http.Response>> scrapes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                scrapes.add(scrapers.submit(() -> Http.get(agent.url() + "/metrics")));
            }
            for (Future<Http.Response> scrape : scrapes) {
                Http.Response response = scrape.get(30, TimeUnit.SECONDS);
                assertEquals(200, response.status());
                assertTrue(response.body().contains("container_cpu_usage_seconds_total{"), "cAdvisor's series");
            }
        } finally {
            scrapers.shutdownNow();
        }

        assertEquals(List.of(1, 1, 1), requests(), "one collection of each endpoint served the eight scrapes");
    }

    @Test
    void aHeadRequestCollectsNothing() throws Exception {
        start("0s");
        HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(agent.url()
                + "/metrics")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());

        assertEquals(200, head.statusCode());
        assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals(List.of(0, 0, 0), requests());
        assertEquals(200, Http.get(agent.url() + "/metrics").status());
        assertEquals(List.of(1, 1, 1), requests(), "a GET does collect");
    }

    @Test
    void withoutAShareWindowEveryScrapeCollectsAgain() {
        start("0s");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, Http.get(agent.url() + "/metrics").status());
        }

        assertEquals(List.of(3, 3, 3), requests());
    }

    @Test
    void aNameFilterCollectsOnlyTheSourcesThatCanServeIt() {
        start("0s");

        String node = Http.get(agent.url() + "/metrics?name[]=node_load1").body();
        assertTrue(node.contains("node_load1 "), node);
        assertFalse(node.contains("container_"), node);
        assertEquals(List.of(0, 1, 1), requests(), "not cAdvisor's 10 MiB: the resource endpoint serves node_* names"
                + " and the kubelet's own /metrics any name");

        String jvm = Http.get(agent.url() + "/metrics?name[]=jvm_threads_live_threads").body();
        assertTrue(jvm.contains("jvm_threads_live_threads "), jvm);
        assertEquals(List.of(0, 1, 2), requests(), "only the endpoint that may serve any name");

        String container = Http.get(agent.url() + "/metrics?name[]=container_cpu_usage_seconds_total").body();
        assertTrue(container.contains("container_cpu_usage_seconds_total{"), container);
        assertEquals(List.of(1, 2, 3), requests(), "cAdvisor and the resource endpoint serve container_* names");

        String health = Http.get(agent.url() + "/metrics?name[]=vedetta_source_up").body();
        assertTrue(health.contains("vedetta_source_up{source=\"cadvisor\"} 1"), health);
        assertEquals(List.of(2, 3, 4), requests(), "the sources' health is every source's");
    }
}

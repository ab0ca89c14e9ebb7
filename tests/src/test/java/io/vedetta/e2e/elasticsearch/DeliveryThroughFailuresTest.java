package io.vedetta.e2e.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SharedElasticsearch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every line exactly once while the real node is down, blocks writes or rejects whole requests. Each test
 * leaves the shared node running with its usual settings.
 */
@ExtendWith(SharedElasticsearch.class)
class DeliveryThroughFailuresTest {

    /** The issue asks for 30 s; the node restarts in about 3 s, so the outage is the stop plus this wait. */
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    static void assertExactlyOnce(EsQueries es, String target, long lines) {
        List<Long> seqs = es.sequences(target);
        assertEquals(lines, seqs.size(), "documents in " + target);
        long[] sorted = seqs.stream().mapToLong(Long::longValue).sorted().toArray();
        assertEquals(LongStream.rangeClosed(1, lines).boxed().toList(), LongStream.of(sorted).boxed().toList(),
                "every sequence number once");
    }

    @Test
    void everyLineArrivesExactlyOnceAcrossAThirtySecondOutage(ElasticsearchProcess node, @TempDir Path dir)
            throws Exception {
        String stream = "logs-kubernetes.container-outage";
        Path file = ShippingAgent.logFile(dir, "outage", "web");
        long total = 20_000;
        try (AgentProcess agent = ShippingAgent.start(dir, node.url(), "");
                EsQueries es = new EsQueries(node.url())) {
            Thread writer = writer(file, total, Duration.ofSeconds(20));
            writer.start();
            assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count(stream) > 1000), "delivery under way");
            node.stop();
            Thread.sleep(OUTAGE.toMillis());
            // A request caught by the stop may only fail at its socket timeout (elasticsearch.requestTimeout, 30s):
            // the node stays down until the agent has seen the outage, so the test never depends on that race.
            boolean failed = Http.await(Duration.ofSeconds(45), () ->
                    ShippingAgent.metric(agent, "vedetta_log_es_bulk_requests_total{outcome=\"unreachable\"") > 0);
            node.restart();
            writer.join();

            assertTrue(failed, "requests failed during the outage; agent log:\n" + agent.process().tail(30));
            assertTrue(Http.await(Duration.ofSeconds(120), () -> es.count(stream) >= total),
                    "have " + es.count(stream) + " of " + total + "; agent log:\n" + agent.process().tail(30));
            assertExactlyOnce(es, stream, total);
        }
    }

    @Test
    void itemsRejectedByAReadOnlyBlockArriveExactlyOnceAfterItLifts(ElasticsearchProcess node, @TempDir Path dir)
            throws Exception {
        String stream = "logs-kubernetes.container-readonly";
        Path file = ShippingAgent.logFile(dir, "readonly", "web");
        try (AgentProcess agent = ShippingAgent.start(dir, node.url(), "");
                EsQueries es = new EsQueries(node.url())) {
            ShippingAgent.appendSequence(file, 1, 1000);
            assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count(stream) == 1000), "first part delivered");
            es.call("PUT", "/" + stream + "/_settings", "{\"index.blocks.read_only_allow_delete\":true}");
            try {
                ShippingAgent.appendSequence(file, 1001, 5000);
                assertTrue(Http.await(Duration.ofSeconds(30),
                        () -> ShippingAgent.metric(agent, "vedetta_log_es_items_retried_total{status=\"429\"") >= 4000),
                        "items rejected with 429 are retried; agent log:\n" + agent.process().tail(30));
                assertEquals(1000, es.count(stream), "nothing gets past the block");
                assertTrue(ShippingAgent.metric(agent, "vedetta_log_es_concurrency_limit") < 4,
                        "429s lowered the requests in flight");
            } finally {
                es.call("PUT", "/" + stream + "/_settings", "{\"index.blocks.read_only_allow_delete\":null}");
            }
            assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count(stream) >= 5000),
                    "have " + es.count(stream) + "; agent log:\n" + agent.process().tail(30));
            assertExactlyOnce(es, stream, 5000);
            assertEquals(0.0, ShippingAgent.metric(agent, "vedetta_log_es_dead_lettered_total"));
        }
    }

    @Test
    void wholeRequestsRejectedWith429ArriveExactlyOnceWhenThePressureLifts(ElasticsearchProcess node,
            @TempDir Path dir) throws Exception {
        String stream = "logs-kubernetes.container-pressure";
        Path file = ShippingAgent.logFile(dir, "pressure", "web");
        // Any bulk over 16kb is refused whole; batches of 500 lines of ~200 bytes are about 150kb.
        node.restart(Map.of("indexing_pressure.memory.limit", "16kb"));
        try (AgentProcess agent = ShippingAgent.start(dir, node.url(), "");
                EsQueries es = new EsQueries(node.url())) {
            ShippingAgent.appendSequence(file, 1, 5000);
            assertTrue(Http.await(Duration.ofSeconds(30),
                    () -> ShippingAgent.metric(agent, "vedetta_log_es_bulk_requests_total{outcome=\"rejected\"") >= 3),
                    "whole requests rejected with 429; agent log:\n" + agent.process().tail(30));
            node.restart(Map.of());
            assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count(stream) >= 5000),
                    "have " + es.count(stream) + "; agent log:\n" + agent.process().tail(30));
            assertExactlyOnce(es, stream, 5000);
        } finally {
            node.restart(Map.of());
        }
    }

    /** Appends {@code total} sequenced lines spread over {@code duration}, in 50 slices. */
    static Thread writer(Path file, long total, Duration duration) {
        return new Thread(() -> {
            long slice = total / 50;
            for (int i = 0; i < 50; i++) {
                ShippingAgent.appendSequence(file, i * slice + 1, i == 49 ? total : (i + 1) * slice);
                try {
                    Thread.sleep(duration.toMillis() / 50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "log-writer");
    }
}

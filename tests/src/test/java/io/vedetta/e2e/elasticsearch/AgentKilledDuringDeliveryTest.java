package io.vedetta.e2e.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SharedElasticsearch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent is killed with SIGKILL five times while 200,000 lines are written and shipped; each time it comes
 * back on the same state directory. Positions only move after Elasticsearch acknowledged, and re-sent records
 * carry the same {@code _id}, so afterwards every line is stored exactly once.
 */
@ExtendWith(SharedElasticsearch.class)
class AgentKilledDuringDeliveryTest {

    private static final Logger LOG = LoggerFactory.getLogger(AgentKilledDuringDeliveryTest.class);
    private static final long LINES = 200_000;

    @Test
    void everyLineIsStoredExactlyOnceAfterFiveSigkills(ElasticsearchProcess node, @TempDir Path dir) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String stream = "logs-kubernetes.container-sigkill";
        Path file = ShippingAgent.logFile(dir, "sigkill", "web");
        Thread writer = DeliveryThroughFailuresTest.writer(file, LINES, Duration.ofSeconds(20));
        AgentProcess agent = ShippingAgent.start(dir, node.url(), "");
        try (EsQueries es = new EsQueries(node.url())) {
            writer.start();
            List<Long> storedAtKills = new ArrayList<>();
            for (int kill = 1; kill <= 5; kill++) {
                Thread.sleep(1000 + random.nextInt(3000));
                storedAtKills.add(es.count(stream));
                agent.process().kill();
                agent = ShippingAgent.start(dir, node.url(), "");
            }
            LOG.info("documents stored at the five SIGKILLs: {} (seed {})", storedAtKills, seed);
            assertTrue(storedAtKills.get(4) < LINES, "the kills fell during delivery: " + storedAtKills);
            writer.join();
            AgentProcess last = agent;
            assertTrue(Http.await(Duration.ofSeconds(180), () -> es.count(stream) >= LINES),
                    "have " + es.count(stream) + " of " + LINES + " (seed " + seed + "); agent log:\n"
                            + last.process().tail(30));
            DeliveryThroughFailuresTest.assertExactlyOnce(es, stream, LINES);
        } finally {
            agent.close();
        }
    }
}

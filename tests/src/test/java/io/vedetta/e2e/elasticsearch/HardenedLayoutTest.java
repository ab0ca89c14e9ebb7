package io.vedetta.e2e.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.vedetta.testkit.AgentCommand;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SharedElasticsearch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hardened layout against the real node: {@code --bootstrap-elasticsearch} installs the templates and exits (the
 * chart's Job), agents with {@code template.install: false} ship into them, and a password file rotated while they
 * ship disturbs nothing. The node has no security module, so it ignores credentials: what the rotation could break
 * here is delivery, which is what is checked; the authentication side is {@code ElasticsearchSinkRotationTest}'s.
 */
@ExtendWith(SharedElasticsearch.class)
class HardenedLayoutTest {

    @Test
    void theBootstrapModeInstallsTheTemplatesForAgentsThatMayNotInstallThem(ElasticsearchProcess node,
            @TempDir Path dir) throws Exception {
        AgentCommand.Result bootstrap = AgentCommand.run(dir.resolve("bootstrap"), """
                kubernetes: {enabled: false}
                elasticsearch:
                  urls: ["%s"]
                  index: {dataStreamPrefix: "logs-hardened-"}
                  template: {name: vedetta-hardened}
                """.formatted(node.url()), Map.of(), "--bootstrap-elasticsearch");

        assertEquals(0, bootstrap.exit(), bootstrap.output());
        assertTrue(bootstrap.output().contains("Elasticsearch index templates installed; done"), bootstrap.output());
        Path file = ShippingAgent.logFile(dir, "ns", "web");
        ShippingAgent.appendSequence(file, 1, 30);
        try (EsQueries es = new EsQueries(node.url());
                AgentProcess agent = ShippingAgent.start(dir, node.url(), """
                          index: {dataStreamPrefix: "logs-hardened-"}
                          template: {install: false, name: vedetta-hardened}
                        """)) {
            JsonNode template = es.call("GET", "/_index_template/vedetta-hardened", null);
            assertEquals("logs-hardened-*", template.at("/index_templates/0/index_template/index_patterns/0").asText());

            assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count("logs-hardened-ns") == 30),
                    "agent log:\n" + agent.process().tail(30));
            JsonNode mapping = es.call("GET", "/logs-hardened-ns/_mapping", null);
            JsonNode properties = mapping.path(mapping.fieldNames().next()).path("mappings").path("properties");
            assertEquals("flattened", properties.path("json").path("type").asText(), "the bootstrap's template");
            assertFalse(Files.readString(agent.process().log()).contains("installed for"),
                    "the agent installed nothing itself");
        }
    }

    @Test
    void theBootstrapModeAlsoInstallsTheTemplateOfTheClustersEventsWhenTheyAreShipped(ElasticsearchProcess node,
            @TempDir Path dir) throws Exception {
        // The agents' configuration as the chart gives the Job: the cluster collector on, which the Job never runs.
        AgentCommand.Result bootstrap = AgentCommand.run(dir, """
                kubernetes: {apiServer: "https://127.0.0.1:1"}
                cluster:
                  enabled: true
                  events: {dataStreamPrefix: "logs-hardened.events-"}
                elasticsearch:
                  urls: ["%s"]
                  index: {dataStreamPrefix: "logs-hardened.containers-"}
                  template: {name: vedetta-hardened-cluster}
                """.formatted(node.url()), Map.of("NODE_NAME", "node-a", "POD_NAME", "vedetta-bootstrap-x7k2p",
                "POD_NAMESPACE", "monitoring"), "--bootstrap-elasticsearch");

        assertEquals(0, bootstrap.exit(), bootstrap.output());
        try (EsQueries es = new EsQueries(node.url())) {
            assertEquals("logs-hardened.containers-*", es.call("GET", "/_index_template/vedetta-hardened-cluster",
                    null).at("/index_templates/0/index_template/index_patterns/0").asText());
            JsonNode events = es.call("GET", "/_index_template/vedetta-hardened-cluster-events", null);
            assertEquals("logs-hardened.events-*",
                    events.at("/index_templates/0/index_template/index_patterns/0").asText(), events.toString());
        }
    }

    @Test
    void aRefusalEndsTheBootstrapWithExitOne(@TempDir Path dir) throws Exception {
        // The answer of Elasticsearch's security module to credentials without the manage_index_templates privilege.
        HttpServer forbidding = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        forbidding.createContext("/", exchange -> {
            byte[] body = ("{\"error\":{\"type\":\"security_exception\",\"reason\":\"action ["
                    + "indices:admin/index_template/put] is unauthorized for user [shipper]\"},\"status\":403}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        forbidding.start();
        try {
            AgentCommand.Result result = AgentCommand.run(dir, """
                    kubernetes: {enabled: false}
                    elasticsearch:
                      urls: ["http://127.0.0.1:%d"]
                    """.formatted(forbidding.getAddress().getPort()), Map.of(), "--bootstrap-elasticsearch");

            assertEquals(1, result.exit(), result.output());
            assertTrue(result.output().contains("installing the Elasticsearch index templates failed: Elasticsearch"
                    + " refused index template vedetta-logs"), result.output());
        } finally {
            forbidding.stop(0);
        }
    }

    @Test
    void aPasswordFileReplacedWhileShippingLosesAndDuplicatesNothing(ElasticsearchProcess node, @TempDir Path dir)
            throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("password"), "password-0\n");
        Path file = ShippingAgent.logFile(dir, "rotation", "web");
        String stream = "logs-kubernetes.container-rotation";
        try (EsQueries es = new EsQueries(node.url());
                AgentProcess agent = ShippingAgent.start(dir, node.url(), """
                          username: shipper
                          passwordFile: %s/password
                        """.formatted(secrets))) {
            for (int round = 1; round <= 6; round++) {
                ShippingAgent.appendSequence(file, (round - 1) * 500L + 1, round * 500L);
                // Replaced as a Vault agent or a Secret volume does: a new file renamed over the old one.
                Path next = Files.writeString(secrets.resolve("password.tmp"), "password-" + round + "\n");
                Files.move(next, secrets.resolve("password"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                long expected = round * 500L;
                assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count(stream) >= expected),
                        "round " + round + ": agent log:\n" + agent.process().tail(30));
            }

            List<Long> sequences = es.sequences(stream);
            assertEquals(3000, sequences.size(), "every line once");
            assertEquals(3000, new HashSet<>(sequences).size(), "no line twice");
            assertTrue(Http.await(Duration.ofSeconds(10), () -> ShippingAgent.metric(agent,
                    "vedetta_log_es_secrets_changed_total{setting=\"elasticsearch.passwordFile\"}") >= 1),
                    "the rotation was read");
            String log = Files.readString(agent.process().log());
            assertFalse(log.contains("password-"), "no password in the log");
        }
    }
}

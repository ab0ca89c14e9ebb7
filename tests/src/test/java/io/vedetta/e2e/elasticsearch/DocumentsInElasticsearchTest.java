package io.vedetta.e2e.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SharedElasticsearch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent's records in a real node: fields, the template's mappings, both naming modes, dead letters. */
@ExtendWith(SharedElasticsearch.class)
class DocumentsInElasticsearchTest {

    @Test
    void recordsArriveInANamespaceDataStreamWithTheTemplatesMappings(ElasticsearchProcess node, @TempDir Path dir)
            throws Exception {
        Path file = ShippingAgent.logFile(dir, "fields", "web");
        ShippingAgent.appendSequence(file, 1, 40);
        ShippingAgent.append(file, "2026-11-25T10:11:12.123456789Z stderr F plain text line\n");
        String stream = "logs-kubernetes.container-fields";
        try (AgentProcess agent = ShippingAgent.start(dir, node.url(), "");
                EsQueries es = new EsQueries(node.url())) {
            assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count(stream) == 41),
                    "41 records expected, have " + es.count(stream) + "; agent log:\n" + agent.process().tail(30));

            JsonNode mapping = es.call("GET", "/" + stream + "/_mapping", null);
            String backing = mapping.fieldNames().next();
            assertTrue(backing.startsWith(".ds-" + stream + "-"), "a data stream's backing index: " + backing);
            JsonNode properties = mapping.path(backing).path("mappings").path("properties");
            assertEquals("date_nanos", properties.path("@timestamp").path("type").asText());
            assertEquals("text", properties.path("log").path("type").asText());
            assertEquals("keyword", properties.path("stream").path("type").asText());
            assertEquals("flattened", properties.path("json").path("type").asText());
            assertEquals("flattened", properties.path("kubernetes").path("properties").path("labels").path("type").asText());
            assertEquals("keyword",
                    properties.path("kubernetes").path("properties").path("namespace_name").path("type").asText());

            JsonNode hit = es.call("POST", "/" + stream + "/_search",
                    "{\"query\":{\"match\":{\"log\":\"plain\"}}}").path("hits").path("hits").get(0);
            JsonNode doc = hit.path("_source");
            assertEquals("2026-11-25T10:11:12.123456789Z", doc.path("@timestamp").asText(), "nanoseconds kept");
            assertEquals("plain text line", doc.path("log").asText());
            assertEquals("stderr", doc.path("stream").asText());
            assertEquals("fields", doc.path("kubernetes").path("namespace_name").asText());
            assertEquals("web-1", doc.path("kubernetes").path("pod_name").asText());
            assertEquals("web", doc.path("kubernetes").path("container_name").asText());
            assertEquals("c".repeat(64), doc.path("docker").path("container_id").asText(), "where fluentd puts it");
            assertEquals("keyword",
                    properties.path("docker").path("properties").path("container_id").path("type").asText());
            assertTrue(hit.path("_id").asText().length() > 8, "the record's stable id: " + hit.path("_id"));
            JsonNode json = es.call("POST", "/" + stream + "/_search",
                    "{\"query\":{\"term\":{\"json.seq\":\"7\"}}}").path("hits").path("hits");
            assertEquals(1, json.size(), "the parsed JSON is searchable through the flattened field");
            assertEquals(41.0, ShippingAgent.metric(agent, "vedetta_log_es_records_sent_total"));
            assertTrue(ShippingAgent.metric(agent, "vedetta_log_es_sent_bytes_total") > 41 * 150);
            assertTrue(ShippingAgent.metric(agent, "vedetta_log_delivery_latency_seconds_count") >= 41);
        }
    }

    @Test
    void ecsRecordsHaveTheirMessageAsTextAndTheirFileUnderLogFilePath(ElasticsearchProcess node, @TempDir Path dir)
            throws Exception {
        Path file = ShippingAgent.logFile(dir, "ecs", "web");
        ShippingAgent.append(file, "2026-11-25T10:11:12.123456789Z stdout F an ecs line\n");
        String stream = "logs-kubernetes.container-ecs";
        try (AgentProcess agent = ShippingAgent.start(dir, node.url(), "", "  fields: ecs");
                EsQueries es = new EsQueries(node.url())) {
            assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count(stream) == 1),
                    "1 record expected, have " + es.count(stream) + "; agent log:\n" + agent.process().tail(30));

            JsonNode mapping = es.call("GET", "/" + stream + "/_mapping", null);
            JsonNode properties = mapping.path(mapping.fieldNames().next()).path("mappings").path("properties");
            assertEquals("text", properties.path("message").path("type").asText());
            assertEquals("keyword", properties.at("/log/properties/file/properties/path/type").asText());
            assertEquals("keyword", properties.at("/container/properties/runtime/type").asText());
            JsonNode doc = es.call("POST", "/" + stream + "/_search",
                    "{\"query\":{\"match\":{\"message\":\"ecs\"}}}").path("hits").path("hits").get(0).path("_source");
            assertEquals("an ecs line", doc.path("message").asText());
            assertEquals(file.toString(), doc.at("/log/file/path").asText());
            assertEquals("c".repeat(64), doc.at("/container/id").asText());
            assertEquals("web-1", doc.at("/kubernetes/pod/name").asText());
        }
    }

    @Test
    void credentialsFromFilesNeverAppearInTheAgentsLogOrMetrics(ElasticsearchProcess node, @TempDir Path dir)
            throws Exception {
        // The test node has no security: it ignores the Authorization header, so delivery works either way.
        String password = "pw-" + UUID.randomUUID();
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("username"), "shipper\n");
        Files.writeString(secrets.resolve("password"), password + "\n");
        Path file = ShippingAgent.logFile(dir, "secret", "web");
        ShippingAgent.appendSequence(file, 1, 10);
        try (AgentProcess agent = ShippingAgent.start(dir, node.url(), """
                  usernameFile: %1$s/username
                  passwordFile: %1$s/password
                """.formatted(secrets));
                EsQueries es = new EsQueries(node.url())) {
            assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count("logs-kubernetes.container-secret") == 10),
                    "agent log:\n" + agent.process().tail(30));
            String token = Base64.getEncoder().encodeToString(("shipper:" + password).getBytes(StandardCharsets.UTF_8));
            String metrics = Http.get(agent.url() + "/metrics").body();
            String log = Files.readString(agent.process().log());
            for (String secret : new String[] {password, token}) {
                assertFalse(metrics.contains(secret), "secret in /metrics");
                assertFalse(log.contains(secret), "secret in the agent's log");
            }
        }
    }

    @Test
    void dailyIndicesInFluentdsLogstashStyle(ElasticsearchProcess node, @TempDir Path dir) throws Exception {
        Path file = ShippingAgent.logFile(dir, "daily", "worker");
        ShippingAgent.appendSequence(file, 1, 25);
        String index = "vedettadaily-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy.MM.dd"));
        try (AgentProcess agent = ShippingAgent.start(dir, node.url(), """
                  index: {mode: daily, dailyPrefix: vedettadaily}
                  template: {name: vedettadaily}
                """);
                EsQueries es = new EsQueries(node.url())) {
            assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count(index) == 25),
                    "25 records expected in " + index + ", have " + es.count(index) + "; agent log:\n"
                            + agent.process().tail(30));
            JsonNode settings = es.call("GET", "/" + index + "/_settings", null);
            assertTrue(settings.path(index).path("settings").path("index").path("hidden").isMissingNode(),
                    "a plain index, not a data stream's");
            JsonNode properties = es.call("GET", "/" + index + "/_mapping", null).path(index).path("mappings")
                    .path("properties");
            assertEquals("date_nanos", properties.path("@timestamp").path("type").asText(),
                    "the template covers daily indices too");
        }
    }

    @Test
    void aMappingConflictGoesToTheDeadLetterIndexWithTheReasonAndTheRestFlows(ElasticsearchProcess node,
            @TempDir Path dir) throws Exception {
        String stream = "logs-kubernetes.container-conflict";
        try (EsQueries es = new EsQueries(node.url())) {
            // An operator's template that maps `log` as a number: text lines cannot be indexed into it.
            es.call("PUT", "/_index_template/conflict-test", """
                    {"index_patterns":["logs-kubernetes.container-conflict*"],"priority":300,"data_stream":{},
                     "template":{"mappings":{"properties":{"@timestamp":{"type":"date_nanos"},"log":{"type":"long"}}}}}
                    """);
            Path file = ShippingAgent.logFile(dir, "conflict", "api");
            ShippingAgent.append(file, """
                    2026-11-25T10:00:00.000000001Z stdout F 1
                    2026-11-25T10:00:00.000000002Z stdout F 2
                    2026-11-25T10:00:00.000000003Z stdout F not a number
                    2026-11-25T10:00:00.000000004Z stdout F 4
                    """);
            try (AgentProcess agent = ShippingAgent.start(dir, node.url(), "")) {
                assertTrue(Http.await(Duration.ofSeconds(60), () -> es.count(stream) == 3
                                && ShippingAgent.metric(agent, "vedetta_log_es_dead_lettered_total{target=\"index\"") == 1),
                        "3 records and 1 dead letter expected; agent log:\n" + agent.process().tail(30));
                es.call("POST", "/vedetta-deadletter-*/_refresh", null);
                JsonNode letters = es.call("POST", "/vedetta-deadletter-*/_search",
                        "{\"query\":{\"term\":{\"target\":\"" + stream + "\"}}}").path("hits").path("hits");
                assertEquals(1, letters.size(), letters.toString());
                JsonNode letter = letters.get(0).path("_source");
                assertEquals(400, letter.path("status").asInt());
                assertEquals("document_parsing_exception", letter.path("error").path("type").asText());
                assertTrue(letter.path("error").path("reason").asText().contains("[log]"), letter.toString());
                assertTrue(letter.path("document").asText().contains("\"log\":\"not a number\""), letter.toString());
                assertEquals(3.0, ShippingAgent.metric(agent, "vedetta_log_es_records_sent_total"));
                assertTrue(Http.await(Duration.ofSeconds(10),
                        () -> ShippingAgent.metric(agent, "vedetta_log_lag_bytes") == 0.0),
                        "the dead-lettered record is acknowledged, so the file's position reaches its end");
            } finally {
                es.call("DELETE", "/_index_template/conflict-test", null);
            }
        }
    }
}

package io.vedetta.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.logs.route.IndexMode;
import io.vedetta.logs.sink.elasticsearch.ElasticsearchSinkConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchConfigTest {

    @TempDir
    Path dir;

    private AgentConfig load(String yaml) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(Optional.of(file), Map.of("NODE_NAME", "n"));
    }

    @Test
    void defaultsShipToDataStreamsWithVerifiedTlsThroughElasticsearch() {
        AgentConfig config = ConfigLoader.load(Optional.empty(), Map.of("NODE_NAME", "n"));
        ElasticsearchSinkConfig sink = config.elasticsearch();

        assertEquals(LogsConfig.SinkType.ELASTICSEARCH, config.logs().sink());
        assertEquals(IndexMode.DATA_STREAM, sink.routes().mode());
        assertEquals("logs-kubernetes.container-*", sink.routes().pattern());
        assertTrue(sink.verifyTls());
        assertEquals(5L << 20, sink.bulkMaxBytes());
        assertEquals(4, sink.maxInFlight());
        assertEquals(Path.of("/var/lib/vedetta/deadletter.ndjson"), sink.deadLetterFile());
        assertEquals(100L << 20, sink.deadLetterFileMaxBytes());
    }

    @Test
    void everySettingIsRead() throws IOException {
        ElasticsearchSinkConfig es = load("""
                elasticsearch:
                  urls: ["https://es-1:9200", "https://es-2:9200"]
                  username: shipper
                  passwordFile: /secrets/password
                  tls: {caFile: /secrets/ca.pem, verify: true}
                  index: {mode: daily, dailyPrefix: fluentd, dailyByNamespace: true, defaultRoute: misc}
                  bulk: {maxBytes: 2MiB, maxRecords: 800}
                  maxInFlight: 8
                  gzip: true
                  retry: {initial: 250ms, max: 10s}
                  connectTimeout: 2s
                  requestTimeout: 20s
                  template: {install: false, name: mine}
                  deadLetter: {prefix: refused, fileMaxBytes: 1MiB}
                """).elasticsearch();

        assertEquals(List.of(URI.create("https://es-1:9200"), URI.create("https://es-2:9200")), es.urls());
        assertEquals(Optional.of("shipper"), es.username());
        assertEquals(Optional.of(Path.of("/secrets/password")), es.passwordFile());
        assertEquals(Optional.of(Path.of("/secrets/ca.pem")), es.caFile());
        assertEquals(IndexMode.DAILY, es.routes().mode());
        assertEquals("fluentd-*", es.routes().pattern());
        assertTrue(es.routes().dailyByNamespace());
        assertEquals(2L << 20, es.bulkMaxBytes());
        assertEquals(800, es.bulkMaxRecords());
        assertEquals(8, es.maxInFlight());
        assertTrue(es.gzip());
        assertEquals(Duration.ofMillis(250), es.retryInitial());
        assertEquals(Duration.ofSeconds(10), es.retryMax());
        assertFalse(es.installTemplate());
        assertEquals("mine", es.templateName());
        assertEquals("refused", es.deadLetterPrefix());
        assertEquals(1L << 20, es.deadLetterFileMaxBytes());
    }

    @Test
    void credentialsInAUrlAreRefusedWithoutQuotingThem() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("elasticsearch: {urls: [\"https://elastic:hunter2@es:9200\"]}"));

        assertEquals("elasticsearch.urls[0]", e.setting());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void basicAuthNeedsBothUserAndPasswordFileAndExcludesAnApiKey() {
        assertEquals("elasticsearch.passwordFile", assertThrows(ConfigException.class,
                () -> load("elasticsearch: {username: shipper}")).setting());
        assertEquals("elasticsearch.apiKeyFile", assertThrows(ConfigException.class,
                () -> load("elasticsearch: {username: u, passwordFile: /p, apiKeyFile: /k}")).setting());
    }

    @Test
    void theUserNameCanComeFromAMountedSecretFile() throws IOException {
        Path username = Files.writeString(dir.resolve("username"), "shipper\n");

        ElasticsearchSinkConfig es = load("elasticsearch: {usernameFile: %s, passwordFile: /p}".formatted(username))
                .elasticsearch();

        assertEquals(Optional.of("shipper"), es.username());
    }

    @Test
    void indexNamesMustBeValid() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("elasticsearch: {index: {dailyPrefix: \"Logs/Prod\"}}"));

        assertEquals("elasticsearch.index.dailyPrefix", e.setting());
    }
}

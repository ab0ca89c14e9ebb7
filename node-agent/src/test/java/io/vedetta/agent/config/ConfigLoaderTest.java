package io.vedetta.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private AgentConfig load(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(Optional.of(file), env);
    }

    @Test
    void everySettingHasADefault() {
        AgentConfig config = ConfigLoader.load(Optional.empty(), Map.of("NODE_NAME", "node-a"));

        assertEquals(HttpConfig.DEFAULT_PORT, config.http().port());
        assertTrue(config.kubernetes().enabled());
        assertEquals("node-a", config.kubernetes().nodeName());
        assertEquals(Duration.ofSeconds(120), config.kubernetes().deletionGrace());
        assertFalse(config.kubernetes().namespaceLabels());
        assertEquals(List.of("/var/log/containers/*.log"), config.logs().pipeline().tail().paths());
        assertEquals(List.of(URI.create("http://localhost:9200")), config.elasticsearch().urls());
        assertEquals(LoggingConfig.Format.JSON, config.logging().format());
    }

    @Test
    void fileValuesOverrideDefaultsAndNodeNameComesFromEnv() throws IOException {
        AgentConfig config = load("""
                http: {port: 19102, address: 127.0.0.1}
                kubernetes: {deletionGrace: 90s, namespaceLabels: true}
                logs: {paths: ["/tmp/a/*.log"], stateDir: /tmp/state}
                shutdownGrace: 5s
                """, Map.of("NODE_NAME", "worker-7"));

        assertEquals(19102, config.http().port());
        assertEquals("127.0.0.1", config.http().address());
        assertEquals("worker-7", config.kubernetes().nodeName());
        assertEquals(Duration.ofSeconds(90), config.kubernetes().deletionGrace());
        assertTrue(config.kubernetes().namespaceLabels());
        assertEquals(java.nio.file.Path.of("/tmp/state"), config.logs().pipeline().tail().stateDir());
        assertEquals(Duration.ofSeconds(5), config.shutdownGrace());
    }

    @Test
    void typoSuggestsTheKnownSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("http: {prot: 1}", Map.of("NODE_NAME", "n")));

        assertEquals("http.prot", e.setting());
        assertTrue(e.getMessage().contains("did you mean `http.port`"), e.getMessage());
    }

    @Test
    void sizesAndDurationsAcceptUnits() {
        ConfigNode node = ConfigNode.root(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("a", "1MiB").put("b", 2048).put("c", "500ms").put("d", "2m"));

        assertEquals(1L << 20, node.bytes("a", 0));
        assertEquals(2048, node.bytes("b", 0));
        assertEquals(Duration.ofMillis(500), node.duration("c", Duration.ZERO));
        assertEquals(Duration.ofMinutes(2), node.duration("d", Duration.ZERO));
    }

    @Test
    void httpAddressTakesTheHostIpFromTheEnvironmentWhenWrittenAsAReference() throws IOException {
        AgentConfig config = load("http: {address: \"${HOST_IP}\"}", Map.of("NODE_NAME", "n", "HOST_IP", "10.0.0.7"));

        assertEquals("10.0.0.7", config.http().address());
    }

    @Test
    void httpAddressReferenceToAnUnsetVariableNamesTheSettingAndTheVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("http: {address: \"${HOST_IP}\"}", Map.of("NODE_NAME", "n")));

        assertEquals("http.address", e.setting());
        assertTrue(e.getMessage().contains("HOST_IP is not set"), e.getMessage());
    }

    @Test
    void httpAddressRefusesTextAroundAReference() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("http: {address: \"ip-${HOST_IP}\"}", Map.of("NODE_NAME", "n", "HOST_IP", "10.0.0.7")));

        assertEquals("http.address", e.setting());
    }
}

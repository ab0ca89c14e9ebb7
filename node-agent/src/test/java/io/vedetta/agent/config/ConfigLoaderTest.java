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
    void aKeyWrittenTwiceIsRefusedRatherThanDroppingTheSettingsUnderTheFirst() {
        ConfigException top = assertThrows(ConfigException.class, () -> load(
                "logs:\n  stateDir: /var/lib/mine\nhttp:\n  port: 9102\nlogs:\n  enabled: true\n", Map.of()));
        assertEquals("logs", top.setting());
        assertTrue(top.getMessage().contains("written twice"), top.getMessage());

        ConfigException nested = assertThrows(ConfigException.class, () -> load(
                "metrics:\n  kubelet:\n    port: 10250\n    port: 10255\n", Map.of()));
        assertEquals("metrics.kubelet.port", nested.setting());
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
    void logsAreReadOnlyUnderTheAllowedRoots() throws IOException {
        Map<String, String> env = Map.of("NODE_NAME", "n");
        assertEquals(List.of(Path.of("/var/log/pods"), Path.of("/var/log/containers"),
                Path.of("/var/lib/docker/containers")), load("", env).logs().pipeline().tail().allowedRoots());
        assertEquals(List.of(Path.of("/var/log/pods"), Path.of("/var/log/containers"),
                Path.of("/var/lib/docker/containers"), Path.of("/data/logs")),
                load("logs: {paths: [\"/data/logs/**/*.log\"]}", env).logs().pipeline().tail().allowedRoots(),
                "unset, what the globs walk is allowed too");
        assertEquals(List.of(Path.of("/srv/logs")),
                load("logs: {allowedRoots: [/srv/logs]}", env).logs().pipeline().tail().allowedRoots());

        ConfigException relative = assertThrows(ConfigException.class,
                () -> load("logs: {allowedRoots: [/var/log/pods, var/lib]}", env));
        assertEquals("logs.allowedRoots[1]", relative.setting());
        assertEquals(Duration.ofSeconds(90), load("logs: {stuckTimeout: 90s}", env).logs().pipeline().tail()
                .stuckTimeout());
    }

    @Test
    void memoryIsBoundedInBytesAndOpenFiles() throws IOException {
        Map<String, String> env = Map.of("NODE_NAME", "n");
        AgentConfig defaults = load("", env);
        assertEquals(1024, defaults.logs().pipeline().tail().maxOpenFiles());
        assertEquals(8L << 20, defaults.logs().pipeline().queueBytes());
        assertEquals(4L << 20, defaults.logs().pipeline().batchBytes());

        AgentConfig set = load("logs: {maxOpenFiles: 64, queueBytes: 1MiB, batch: {bytes: 512KiB}}", env);
        assertEquals(64, set.logs().pipeline().tail().maxOpenFiles());
        assertEquals(1L << 20, set.logs().pipeline().queueBytes());
        assertEquals(512L << 10, set.logs().pipeline().batchBytes());
        assertEquals("logs.maxOpenFiles", assertThrows(ConfigException.class,
                () -> load("logs: {maxOpenFiles: 0}", env)).setting());
        assertEquals("logs.queueBytes", assertThrows(ConfigException.class,
                () -> load("logs: {queueBytes: 0}", env)).setting());
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

package io.vedetta.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.logs.buffer.BufferConfig;
import io.vedetta.logs.sink.forward.ForwardConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code logs.buffer} and {@code logs.forward} settings: defaults, values, and errors that name the setting. */
class LogsBufferAndForwardConfigTest {

    @TempDir
    Path dir;

    private LogsConfig load(String yaml) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(Optional.of(file), Map.of("NODE_NAME", "n")).logs();
    }

    @Test
    void bufferLivesInTheStateDirectoryWithDefaultLimits() throws IOException {
        LogsConfig logs = load("logs: {stateDir: /tmp/state}");

        assertEquals(Path.of("/tmp/state/buffer"), logs.buffer().dir());
        assertEquals(8L << 20, logs.buffer().memoryBytes());
        assertEquals(512L << 20, logs.buffer().diskBytes());
        assertEquals(100_000, logs.buffer().maxRecords());
        assertEquals(4, logs.buffer().maxInFlight());
        assertEquals(Duration.ofSeconds(30), logs.buffer().maxRetryBackoff());
        assertEquals(Duration.ofSeconds(5), logs.buffer().stallTimeout());
        assertEquals(BufferConfig.Acknowledge.DELIVERED, logs.buffer().acknowledge());
        assertEquals(LogsConfig.SinkType.ELASTICSEARCH, logs.sink());
        assertTrue(logs.forward().isEmpty());
    }

    @Test
    void forwardSinkIsSelectedAndConfigured() throws IOException {
        LogsConfig logs = load("""
                logs:
                  buffer: {memoryBytes: 8MiB, diskBytes: 2GiB, maxRecords: 1000000, maxInFlight: 2, maxRetryBackoff: 10s,
                           stallTimeout: 20s, acknowledge: stored}
                  sink: {type: forward}
                  forward: {host: fluentd.logging, port: 24225, tag: "k8s.{namespace}.{pod}", timeout: 1s, bufferBytes: 1MiB}
                """);

        assertEquals(8L << 20, logs.buffer().memoryBytes());
        assertEquals(2L << 30, logs.buffer().diskBytes());
        assertEquals(1_000_000, logs.buffer().maxRecords());
        assertEquals(2, logs.buffer().maxInFlight());
        assertEquals(Duration.ofSeconds(20), logs.buffer().stallTimeout());
        assertEquals(BufferConfig.Acknowledge.STORED, logs.buffer().acknowledge());
        assertEquals(LogsConfig.SinkType.FORWARD, logs.sink());
        ForwardConfig forward = logs.forward().orElseThrow();
        assertEquals("fluentd.logging", forward.host());
        assertEquals(24225, forward.port());
        assertEquals("k8s.{namespace}.{pod}", forward.tag().toString());
        assertEquals(Duration.ofSeconds(1), forward.timeout());
        assertEquals(1 << 20, forward.bufferBytes());
    }

    @Test
    void forwardSinkWithoutHostNamesTheSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("logs: {sink: {type: forward}}"));
        assertTrue(e.getMessage().contains("logs.forward.host"), e.getMessage());
    }

    @Test
    void unknownTagPlaceholderNamesTheSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(
                "logs: {sink: {type: forward}, forward: {host: f, tag: \"k.{node}\"}}"));
        assertTrue(e.getMessage().contains("logs.forward.tag") && e.getMessage().contains("{node}"), e.getMessage());
    }

    @Test
    void emptyMemoryBufferNamesTheSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("logs: {buffer: {memoryBytes: 0}}"));
        assertTrue(e.getMessage().contains("logs.buffer.memoryBytes"), e.getMessage());
    }

    @Test
    void typoInTheForwardSectionIsReportedEvenWhileAnotherSinkIsChosen() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("logs: {forward: {hots: f}}"));
        assertTrue(e.getMessage().contains("logs.forward.hots"), e.getMessage());
    }
}

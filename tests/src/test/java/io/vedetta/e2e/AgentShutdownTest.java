package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on the packaged agent: parts stop in reverse start order, within the grace, flushing what they hold. */
class AgentShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sigtermStopsPartsInReverseOrderAndFlushesAPendingPartialLine(@TempDir Path dir) throws Exception {
        Path containers = Files.createDirectories(dir.resolve("containers"));
        Path log = containers.resolve("web-1_shop_nginx-" + "a".repeat(64) + ".log");
        Files.writeString(log, "");
        Path shipped = dir.resolve("shipped.ndjson");
        AgentProcess agent = AgentProcess.start(dir.resolve("agent"), """
                shutdownGrace: 10s
                kubernetes: {enabled: false}
                logs:
                  enabled: true
                  paths: ["%s/*.log"]
                  stateDir: %s
                  partialFlushTimeout: 1h
                  sink: {type: file, path: "%s"}
                """.formatted(containers, dir.resolve("state"), shipped), Map.of());
        Files.writeString(log, "2026-11-25T00:00:00.000000001Z stdout F complete line\n"
                + "2026-11-25T00:00:00.000000002Z stdout P a partial line still waiting for its end",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.writeString(log, "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertTrue(Http.await(Duration.ofSeconds(20), () -> lines(shipped).size() == 1), "the complete line ships first");

        long begin = System.nanoTime();
        int exit = agent.process().stop(30);
        long millis = (System.nanoTime() - begin) / 1_000_000;

        assertEquals(143, exit, "terminated by SIGTERM after a clean shutdown");
        assertTrue(millis < 10_000, "stopped within shutdownGrace, took " + millis + " ms");
        List<String> stopped = new ArrayList<>();
        for (String line : Files.readAllLines(agent.process().log())) {
            if (line.startsWith("{")) {
                JsonNode event = JSON.readTree(line);
                if (event.path("message").asText().startsWith("stopping ")) {
                    stopped.add(event.path("part").asText());
                }
            }
        }
        assertEquals(List.of("log-shipping", "metric-sources", "http"), stopped, "reverse of the start order");
        List<String> records = lines(shipped);
        assertEquals(2, records.size(), "the held partial line is flushed on shutdown: " + records);
        assertTrue(records.get(1).contains("a partial line still waiting for its end"), records.get(1));
        String positions = Files.readString(dir.resolve("state/positions.json"));
        assertTrue(positions.contains("\"offset\" : " + Files.size(log)), "position saved at the end: " + positions);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package io.vedetta.logs.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.enrich.EnrichConfig;
import io.vedetta.logs.parse.ParseConfig;
import io.vedetta.logs.pipeline.LogPipeline;
import io.vedetta.logs.pipeline.PipelineConfig;
import io.vedetta.logs.tail.TailConfig;
import io.vedetta.testing.Await;
import io.vedetta.pods.PodMetadata;
import io.vedetta.time.Ticker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real pipeline over a real file with the buffer in front of a stalled sink: reading goes on, then pauses. */
class SpillingPipelineTest {

    @TempDir
    Path dir;

    /** {@code total} CRI lines of about 120 bytes, numbered from 0, in {@code logs/app.log}. */
    private Path logFile(int total) throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < total; i++) {
            lines.append("2024-01-02T03:04:05.000000001Z stdout F line ").append(i).append(' ')
                    .append("y".repeat(80)).append('\n');
        }
        return Files.writeString(logs.resolve("app.log"), lines, StandardCharsets.UTF_8);
    }

    /** Batches of 20 records, two in flight, 16 lines queued: reading soon pauses behind a sink that does not keep up. */
    private static PipelineConfig pipeline(Path logs, Path state) {
        TailConfig tail = TailConfig.builder().paths(List.of(logs + "/*.log")).stateDir(state)
                .pollInterval(Duration.ofMillis(20)).checkpointInterval(Duration.ofMillis(50))
                .maxLineBytes(1 << 20).build();
        return new PipelineConfig(tail, ParseConfig.defaults(), EnrichConfig.defaults(), 20,
                Duration.ofMillis(20), 2, Duration.ZERO, 16, Set.of(), Set.of(), PipelineConfig.DEFAULT_QUEUE_BYTES,
                PipelineConfig.DEFAULT_BATCH_BYTES, true);
    }

    @Test
    void aSlowButHealthySinkPausesTheTailerAndTheBufferHoldsNothing() throws Exception {
        int total = 3000;
        Path file = logFile(total);
        Path state = dir.resolve("state");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.STALL);
        SpillingSink buffer = new SpillingSink(inner, new BufferConfig(state.resolve("buffer"), 32_768, 131_072, 100_000,
                2, Duration.ofMillis(200), Duration.ofSeconds(30), BufferConfig.Acknowledge.DELIVERED), registry,
                Ticker.SYSTEM);

        try (LogPipeline pipeline = new LogPipeline(pipeline(file.getParent(), state), PodMetadata.NONE, buffer,
                registry, Clock.systemUTC())) {
            pipeline.start();
            Await.until("the tailer paused behind the sink", () -> registry.get("vedetta.log.paused").gauge().value() == 1.0);
            for (int i = 0; i < 10; i++) {
                Await.until("both slots taken", () -> inner.heldBatches() == 2);
                inner.deliverOldest();
            }
            Await.until("paused again", () -> registry.get("vedetta.log.paused").gauge().value() == 1.0);
            double held = registry.get(BufferMetrics.RECORDS).gauge().value();
            assertTrue(held <= 80, "the two batches in flight and the two the pipeline waits on: " + held);
            assertEquals(0.0, registry.get(BufferMetrics.SPILLED).counter().count());
            assertEquals(0.0, registry.get(BufferMetrics.BYTES).tag("medium", "memory").gauge().value());
            assertEquals(0.0, registry.get(BufferMetrics.FULL).gauge().value());

            inner.deliver();
            Await.until("every line delivered", () -> inner.ids().size() == total);
        }
        assertEquals(total, new HashSet<>(inner.ids()).size(), "each line once");
        assertEquals(0.0, registry.get(BufferMetrics.STALLS).counter().count());
    }

    @Test
    void readsIntoTheBufferWhileTheSinkStallsThenPausesTheTailerWhenItIsFull() throws Exception {
        int total = 3000;
        Path logs = logFile(total).getParent();
        Path state = dir.resolve("state");
        PipelineConfig config = pipeline(logs, state);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.STALL);
        SpillingSink buffer = new SpillingSink(inner, new BufferConfig(state.resolve("buffer"), 32_768, 131_072, 100_000,
                2, Duration.ofMillis(200), Duration.ofMillis(300), BufferConfig.Acknowledge.DELIVERED), registry,
                Ticker.SYSTEM);

        try (LogPipeline pipeline = new LogPipeline(config, PodMetadata.NONE, buffer, registry, Clock.systemUTC())) {
            pipeline.start();
            Await.until("the tailer paused behind a full buffer", () ->
                    registry.get("vedetta.log.paused").gauge().value() == 1.0
                            && registry.get(BufferMetrics.FULL).gauge().value() == 1.0);
            double held = registry.get(BufferMetrics.RECORDS).gauge().value();
            assertTrue(held > 500 && held < total, "the buffer held far more than the sink's in-flight batches: " + held);
            assertTrue(registry.get(BufferMetrics.SPILLED).counter().count() > 0);
            assertTrue(registry.get(BufferMetrics.BYTES).tag("medium", "disk").gauge().value() > 65_536);
            assertEquals(0, inner.ids().size(), "nothing delivered while the sink stalls");

            inner.deliver();
            Await.until("every line delivered", () -> inner.ids().size() == total);
            Await.until("reading resumed", () -> registry.get("vedetta.log.paused").gauge().value() == 0.0);
        }
        assertEquals(total, new HashSet<>(inner.ids()).size(), "each line once");
        assertTrue(inner.documents().get(total - 1).contains("line " + (total - 1) + " "), inner.documents().get(total - 1));
        String positions = Files.readString(state.resolve("positions.json"));
        assertTrue(positions.contains(String.valueOf(Files.size(logs.resolve("app.log")))),
                "the position reached the end once everything was delivered: " + positions);
    }

    @Test
    void storedModeCommitsPositionsWhileTheSinkIsDownSoADeletedFileLosesNothingAcknowledged() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path state = dir.resolve("state");
        Path file = logs.resolve("app.log");
        int total = 3000;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < total; i++) {
            lines.append(String.format("2024-01-02T03:04:05.000000001Z stdout F line %05d %s%n", i, "y".repeat(80)));
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
        long lineLength = Files.size(file) / total;
        PipelineConfig config = pipeline(logs, state);
        BufferConfig stored = new BufferConfig(state.resolve("buffer"), 16_384, 8 << 20, 200, 1,
                Duration.ofMillis(200), Duration.ofMillis(300), BufferConfig.Acknowledge.STORED);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ControllableSink down = new ControllableSink(ControllableSink.Mode.FAIL);
        try (LogPipeline pipeline = new LogPipeline(config, PodMetadata.NONE,
                new SpillingSink(down, stored, registry, Ticker.SYSTEM), registry, Clock.systemUTC())) {
            pipeline.start();
            Await.until("all but a memory's worth acknowledged while the sink is down", () ->
                    registry.get(BufferMetrics.SPILLED).counter().count() > 2500
                            && registry.get("vedetta.log.lag").gauge().value() < 40_000);
            // A write to a slow disk holds the sender back for a moment; what must not happen is a pause that lasts.
            Await.until("reading not paused: the disk, not the heap, holds the outage",
                    () -> registry.get("vedetta.log.paused").gauge().value() == 0.0);
        }
        String positions = Files.readString(state.resolve("positions.json"));
        java.util.regex.Matcher offset = java.util.regex.Pattern.compile("\"offset\"\\s*:\\s*(\\d+)").matcher(positions);
        assertTrue(offset.find(), positions);
        long committed = Long.parseLong(offset.group(1)) / lineLength;
        assertTrue(committed > 2500, "committed lines: " + committed);
        Files.delete(file);

        ControllableSink up = new ControllableSink(ControllableSink.Mode.DELIVER);
        SimpleMeterRegistry again = new SimpleMeterRegistry();
        try (LogPipeline pipeline = new LogPipeline(config, PodMetadata.NONE,
                new SpillingSink(up, stored, again, Ticker.SYSTEM), again, Clock.systemUTC())) {
            pipeline.start();
            Await.until("the acknowledged lines delivered from the spill segments", () -> up.ids().size() >= committed);
        }
        // Closed: whatever it would still have sent twice is in up by now.
        List<String> delivered = up.documents().stream()
                .map(d -> d.replaceAll(".*line (\\d{5}).*", "$1")).sorted().distinct().toList();
        assertEquals(up.documents().size(), delivered.size(), "once each");
        for (int i = 0; i < committed; i++) {
            assertEquals(String.format("%05d", i), delivered.get(i), "every committed line survived the deleted file");
        }
    }
}

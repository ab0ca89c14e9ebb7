package io.vedetta.logs.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.record.RoutingKey;
import io.vedetta.testing.Await;
import io.vedetta.time.ManualTicker;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart after an upgrade replays the spill segments the earlier version left. {@code segment-v1.vbuf} was written
 * by the buffer of commit 1fbed7c (the first segment format) with its sink down; it is an input, never rewritten.
 */
class SpillSegmentUpgradeTest {

    @TempDir
    Path dir;

    @Test
    void replaysASegmentOfTheFirstFormatRecordForRecord() throws Exception {
        Path buffer = Files.createDirectories(dir.resolve("buffer"));
        try (InputStream golden = getClass().getResourceAsStream("segment-v1.vbuf")) {
            Files.copy(golden, buffer.resolve("segment-000000000001.vbuf"));
        }
        ControllableSink up = new ControllableSink(ControllableSink.Mode.DELIVER);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SpillingSink sink = new SpillingSink(up, new BufferConfig(buffer, 4096, 1 << 20, 100_000, 1,
                Duration.ofMillis(200), Duration.ofSeconds(5), BufferConfig.Acknowledge.DELIVERED), registry,
                new ManualTicker())) {
            Await.until("the old segment replayed", () -> up.ids().size() == 5);
            Path replayed = buffer.resolve("segment-000000000001.vbuf");
            Await.until("the replayed segment deleted", () -> !Files.exists(replayed));
        }

        assertEquals(List.of("ab12cd34-5678-2000", "plain-id-3", "ab12cd34-5678-4000+11", "plain-id-5",
                "ab12cd34-5678-6000"), up.ids());
        assertEquals(List.of(
                new RoutingKey("payments", "audit", -1),
                new RoutingKey("", "", 0),
                new RoutingKey("gr\u00f6\u00dfe-ns", "", 1_704_164_707_000_000_000L),
                new RoutingKey("monitoring", "ingest.\u00e9t\u00e9", 1_704_164_708_000_000_009L),
                new RoutingKey("app", "x", 1_704_164_709_000_000_000L)), up.routings());
        assertEquals(List.of(
                "{\"log\":\"no time\",\"json\":{\"level\":\"warn\",\"n\":42,\"ok\":true,\"nested\":{\"a\":[1,2,3]}}}",
                "{\"log\":\"\"}",
                "{\"@timestamp\":\"2024-01-02T03:05:07.000000000Z\","
                        + "\"log\":\"unicode: caf\u00e9 \u65e5\u672c \ud83d\ude00 \\u0000\",\"stream\":\"stdout\"}",
                "{\"@timestamp\":\"2024-01-02T03:05:08.000000009Z\",\"log\":\"" + "y".repeat(300) + "\"}",
                "{\"log\":\"last\",\"kubernetes\":{\"pod_name\":\"app-7d9f\",\"labels\":{\"app\":\"web\"}}}"),
                up.documents());
        assertEquals(5.0, registry.get(BufferMetrics.REPLAYED).counter().count());
        assertEquals(0.0, registry.get(BufferMetrics.CORRUPT).counter().count());
    }
}

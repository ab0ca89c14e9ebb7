package io.vedetta.logs.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.RoutingKey;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.testing.Await;
import io.vedetta.time.ManualTicker;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spilling buffer over real segment files, in front of a sink that delivers, fails or stalls on demand. Its time
 * is a ticker the tests move by hand: a stall or a retry happens when a test moves time, never by itself.
 */
class SpillingSinkTest {

    private static final Duration STALL = Duration.ofMillis(300);
    /** The longest backoff before a retry: moving time by this much lets the next retry go. */
    private static final Duration MAX_BACKOFF = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    private final ManualTicker ticker = new ManualTicker();
    private int nextId;

    private SpillingSink buffer(ControllableSink inner, long memoryBytes, long diskBytes, int maxInFlight)
            throws IOException {
        return buffer(inner, memoryBytes, diskBytes, 100_000, maxInFlight);
    }

    private SpillingSink buffer(ControllableSink inner, long memoryBytes, long diskBytes, int maxRecords,
            int maxInFlight) throws IOException {
        return buffer(inner, memoryBytes, diskBytes, maxRecords, maxInFlight, BufferConfig.Acknowledge.DELIVERED);
    }

    private SpillingSink buffer(ControllableSink inner, long memoryBytes, long diskBytes, int maxRecords,
            int maxInFlight, BufferConfig.Acknowledge acknowledge) throws IOException {
        return buffer(inner, memoryBytes, diskBytes, maxRecords, maxInFlight, STALL, acknowledge);
    }

    private SpillingSink buffer(ControllableSink inner, long memoryBytes, long diskBytes, int maxRecords,
            int maxInFlight, Duration stallTimeout, BufferConfig.Acknowledge acknowledge) throws IOException {
        return new SpillingSink(inner, new BufferConfig(dir.resolve("buffer"), memoryBytes, diskBytes, maxRecords,
                maxInFlight, MAX_BACKOFF, stallTimeout, acknowledge), registry, ticker);
    }

    /** A second buffer over the same directory, as after a restart. */
    private SpillingSink restarted(ControllableSink inner, long memoryBytes, int maxRecords,
            BufferConfig.Acknowledge acknowledge, SimpleMeterRegistry registry) throws IOException {
        return new SpillingSink(inner, new BufferConfig(dir.resolve("buffer"), memoryBytes, 1 << 20, maxRecords, 1,
                MAX_BACKOFF, STALL, acknowledge), registry, new ManualTicker());
    }

    /** Memory and disk of 1 MiB, so that only the sink's health decides whether the sender waits. */
    private SpillingSink buffer(ControllableSink inner, int maxInFlight, Duration stallTimeout) throws IOException {
        return buffer(inner, 1 << 20, 1 << 20, 100_000, maxInFlight, stallTimeout, BufferConfig.Acknowledge.DELIVERED);
    }

    /**
     * Sends one batch to a failing sink and waits until the buffer has seen it fail: from then on it takes
     * batches into memory and onto disk at once rather than letting the sender wait.
     */
    private void sendAndAwaitFailure(SpillingSink sink) throws InterruptedException {
        assertTrue(sink.send(batch(10)).isDone(), "the first batch goes straight through");
        Await.until("the sink failed a batch", () -> counter(BufferMetrics.RETRIES) >= 1);
    }

    /** Sends batches until one is not accepted at once; returns that one. */
    private CompletableFuture<Void> sendUntilOneWaits(SpillingSink sink, int maxBatches) {
        CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        for (int i = 0; i < maxBatches && last.isDone(); i++) {
            last = sink.send(batch(10));
        }
        return last;
    }

    /** A batch of {@code size} records of about 150 bytes each, ids in sending order. */
    private List<SinkRecord> batch(int size) {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            records.add(record(null));
        }
        return records;
    }

    /** A batch of one record per route, ids in sending order. */
    private List<SinkRecord> routed(List<RoutingKey> routes) {
        return routes.stream().map(this::record).toList();
    }

    /** The next record; {@code route} null: its own routing. */
    private SinkRecord record(RoutingKey route) {
        String id = String.format("rec-%05d", nextId++);
        String json = "{\"log\":\"" + id + " " + "x".repeat(120) + "\",\"stream\":\"stdout\"}";
        return new SinkRecord(RecordId.of(id), Document.ofJson(json.getBytes(StandardCharsets.UTF_8),
                route == null ? routing(id) : route), () -> acked.add(id));
    }

    /** Each record's own routing, so a test can see that it survives memory, disk and restart. */
    private static RoutingKey routing(String id) {
        return new RoutingKey("ns-" + id, "route-" + id, id.hashCode());
    }

    private List<String> sentIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < nextId; i++) {
            ids.add(String.format("rec-%05d", i));
        }
        return ids;
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("buffer"))) {
            return files.filter(f -> f.toString().endsWith(".vbuf")).sorted().toList();
        }
    }

    @Test
    void fillsMemoryThenSpillsToDiskAndDrainsInOrderOnceTheSinkRecovers() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.FAIL);
        try (SpillingSink sink = buffer(inner, 4096, 1 << 20, 1)) {
            sendAndAwaitFailure(sink);
            for (int i = 1; i < 20; i++) {
                CompletableFuture<Void> accepted = sink.send(batch(10));
                assertTrue(accepted.isDone() && !accepted.isCompletedExceptionally(), "accepted at once: " + i);
            }
            assertTrue(counter(BufferMetrics.SPILLED) > 100, "most of 200 records spilled: " + counter(BufferMetrics.SPILLED));
            assertTrue(gauge(BufferMetrics.BYTES, "medium", "memory") <= 4096);
            assertTrue(gauge(BufferMetrics.BYTES, "medium", "disk") > 20_000);
            assertFalse(segmentFiles().isEmpty());
            assertEquals(200.0, gauge(BufferMetrics.RECORDS));
            assertTrue(acked.isEmpty(), "nothing acknowledged while the sink fails");

            inner.mode(ControllableSink.Mode.DELIVER);
            ticker.advance(MAX_BACKOFF);
            Await.until("every record delivered", () -> acked.size() == 200);

            assertEquals(sentIds(), inner.ids(), "delivered once each, in order");
            assertTrue(inner.documents().get(150).startsWith("{\"log\":\"rec-00150 xxx"), inner.documents().get(150));
            Await.until("segments deleted", () -> gauge(BufferMetrics.BYTES, "medium", "disk") == 0.0);
            assertEquals(List.of(), segmentFiles());
            assertEquals(0.0, gauge(BufferMetrics.BYTES, "medium", "memory"));
            assertEquals(0.0, gauge(BufferMetrics.RECORDS));
        }
    }

    /**
     * The buffer keeps no batch for a sink that retries by itself (so the batch's documents are garbage once the sink
     * has its bytes); if such a sink breaks that promise, nothing is sent again and nothing is acknowledged: the
     * records are read again after a restart, and the failure is counted.
     */
    @Test
    void aBatchFailedWhileOpenBySinkThatRetriesByItselfStaysUnacknowledgedAndIsCounted() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.STALL, true);
        try (SpillingSink sink = buffer(inner, 1, Duration.ofSeconds(30))) {
            assertTrue(sink.send(batch(10)).isDone(), "the slot");
            Await.until("the batch handed on", () -> inner.heldBatches() == 1);

            inner.failHeld();
            Await.until("the failure counted", () -> registry.get(BufferMetrics.ERRORS).tag("op", "sink").counter()
                    .count() == 1.0);
            inner.mode(ControllableSink.Mode.DELIVER);
            CompletableFuture<Void> next = sink.send(batch(10));
            Await.until("the next batch delivered", () -> acked.size() == 10);

            assertTrue(next.isDone() && !next.isCompletedExceptionally());
            assertEquals(sentIds().subList(10, 20), inner.ids(), "the failed batch is not sent again");
            assertEquals(sentIds().subList(10, 20), List.copyOf(acked), "nor acknowledged");
            assertEquals(0.0, counter(BufferMetrics.RETRIES));
        }
    }

    @Test
    void aSlowButHealthySinkMakesTheSenderWaitForASlotAndNothingIsSerialised() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.STALL);
        try (SpillingSink sink = buffer(inner, 2, Duration.ofSeconds(2))) {
            assertTrue(sink.send(batch(10)).isDone(), "the first slot");
            assertTrue(sink.send(batch(10)).isDone(), "the second slot");
            CompletableFuture<Void> waiting = sink.send(batch(10));
            // Fifteen deliveries 200 ms apart: three seconds, longer than the stall timeout, with progress throughout.
            for (int round = 0; round < 15; round++) {
                ticker.advance(Duration.ofMillis(200));
                ticker.awaitWaiters(1);
                assertFalse(waiting.isDone(), "the sender waits while both slots are taken: round " + round);
                assertEquals(0.0, gauge(BufferMetrics.BYTES, "medium", "memory"), "nothing held in memory");
                assertEquals(0.0, gauge(BufferMetrics.FULL), "waiting for the sink is not a full buffer");
                inner.deliverOldest();
                Await.until("the delivery freed a slot for the waiting batch", waiting::isDone);
                waiting = sink.send(batch(10));
            }
            assertEquals(0.0, counter(BufferMetrics.STALLS), "a sink that delivers is not stalled");
            assertEquals(0.0, counter(BufferMetrics.SPILLED));
            assertEquals(List.of(), segmentFiles());

            inner.deliver();
            Await.until("every record delivered", () -> acked.size() == nextId);
            assertEquals(sentIds(), inner.ids().stream().sorted().toList(),
                    "once each; two in flight may finish in any order");
        }
    }

    @Test
    void batchesWaitingForASlotAreTakenIntoTheBufferAtOnceWhenTheSinkFails() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.STALL);
        try (SpillingSink sink = buffer(inner, 1, Duration.ofSeconds(30))) {
            assertTrue(sink.send(batch(10)).isDone(), "the slot");
            CompletableFuture<Void> second = sink.send(batch(10));
            CompletableFuture<Void> third = sink.send(batch(10));
            Await.until("the first batch handed on", () -> inner.heldBatches() == 1);
            ticker.advance(Duration.ofSeconds(29));
            ticker.awaitWaiters(1);
            assertFalse(second.isDone() || third.isDone(), "a healthy sink makes them wait");

            inner.failHeld();
            Await.until("both taken into memory", () -> second.isDone() && third.isDone());
            assertTrue(gauge(BufferMetrics.BYTES, "medium", "memory") > 0, "serialised into memory");
            assertTrue(sink.send(batch(10)).isDone(), "later batches are taken at once while the sink fails");
            assertEquals(0.0, counter(BufferMetrics.STALLS), "failed, not stalled");
            assertTrue(acked.isEmpty());

            inner.mode(ControllableSink.Mode.DELIVER);
            ticker.advance(MAX_BACKOFF);
            Await.until("every record delivered", () -> acked.size() == nextId);
            assertEquals(sentIds(), inner.ids(), "the failed batch again first, then the others in order");
        }
    }

    @Test
    void aSinkThatDeliversNothingForTheStallTimeoutIsBypassedUntilItDeliversAgain() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.STALL);
        try (SpillingSink sink = buffer(inner, 4096, 1 << 20, 1)) {
            assertTrue(sink.send(batch(10)).isDone(), "the slot");
            CompletableFuture<Void> waiting = sink.send(batch(10));
            assertFalse(waiting.isDone(), "the sender waits for a healthy sink");
            ticker.advance(STALL.minusMillis(1));
            ticker.awaitWaiters(1);
            assertFalse(waiting.isDone(), "not before logs.buffer.stallTimeout");
            assertEquals(0.0, counter(BufferMetrics.STALLS));
            ticker.advance(Duration.ofMillis(1));
            Await.until("the stalled sink bypassed", waiting::isDone);
            assertEquals(1.0, counter(BufferMetrics.STALLS));
            for (int i = 0; i < 20; i++) {
                assertTrue(sink.send(batch(10)).isDone(), "taken at once while the sink is stalled: " + i);
            }
            double spilled = counter(BufferMetrics.SPILLED);
            assertTrue(spilled > 100, "memory full, the rest on disk: " + spilled);

            inner.deliver();
            Await.until("every record delivered", () -> acked.size() == nextId);
            assertEquals(sentIds(), inner.ids(), "once each, in order");

            inner.mode(ControllableSink.Mode.STALL);
            assertTrue(sink.send(batch(10)).isDone(), "the slot");
            CompletableFuture<Void> again = sink.send(batch(10));
            ticker.advance(STALL.minusMillis(1));
            ticker.awaitWaiters(1);
            assertFalse(again.isDone(), "a sink that delivered again is waited for again");
            assertEquals(spilled, counter(BufferMetrics.SPILLED));
            inner.deliver();
            Await.until("the last two delivered", () -> acked.size() == nextId);
        }
    }

    @Test
    void acknowledgesRecordsOnlyWhenTheInnerSinkDelivers() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.STALL);
        try (SpillingSink sink = buffer(inner, 1 << 20, 1 << 20, 2)) {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(sink.send(batch(10)));
            }
            ticker.advance(STALL);
            Await.until("two batches handed on, the others accepted once the stalled sink is bypassed",
                    () -> inner.batches() == 2 && sent.stream().allMatch(CompletableFuture::isDone));
            assertTrue(acked.isEmpty(), "accepted is not delivered (the stalled sink delivers nothing): " + acked);

            inner.deliver();
            Await.until("all delivered", () -> acked.size() == 50);
            assertEquals(sentIds(), acked.stream().sorted().toList(), "each once; two in flight may finish in any order");
        }
    }

    @Test
    void blocksTheSenderWhileMemoryAndDiskAreFullAndAcceptsWhenRoomFrees() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.STALL);
        try (SpillingSink sink = buffer(inner, 4096, 16_384, 1)) {
            CompletableFuture<Void> held = sendUntilOneWaits(sink, 2);
            ticker.advance(STALL);
            Await.until("the stalled sink bypassed", held::isDone);
            CompletableFuture<Void> last = sendUntilOneWaits(sink, 100);
            int sent = nextId / 10;
            assertFalse(last.isDone(), "a full buffer makes the sender wait");
            assertTrue(sent > 3 && sent < 30, "memory and disk took a few batches: " + sent);
            assertEquals(1.0, gauge(BufferMetrics.FULL));
            assertTrue(gauge(BufferMetrics.BYTES, "medium", "disk") <= 16_384);

            inner.deliver();
            last.get();
            Await.until("all delivered", () -> acked.size() == nextId);
            assertEquals(sentIds(), inner.ids());
            assertEquals(0.0, gauge(BufferMetrics.FULL));
        }
    }

    @Test
    void replaysSegmentsLeftByAnEarlierRunAfterRestart() throws Exception {
        ControllableSink down = new ControllableSink(ControllableSink.Mode.FAIL);
        try (SpillingSink sink = buffer(down, 2048, 1 << 20, 1)) {
            sendAndAwaitFailure(sink);
            for (int i = 1; i < 10; i++) {
                sink.send(batch(10));
            }
        }
        double spilled = counter(BufferMetrics.SPILLED);
        assertTrue(spilled >= 80, "spilled: " + spilled);
        assertTrue(acked.isEmpty());

        ControllableSink up = new ControllableSink(ControllableSink.Mode.DELIVER);
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        try (SpillingSink sink = restarted(up, 2048, 100_000, BufferConfig.Acknowledge.DELIVERED, second)) {
            Await.until("the spilled records replayed", () -> up.ids().size() == (int) spilled);
            List<String> all = sentIds();
            assertEquals(all.subList(all.size() - (int) spilled, all.size()), up.ids(),
                    "the spilled tail of the earlier run, in order");
            assertEquals(spilled, second.get(BufferMetrics.REPLAYED).counter().count());
            assertEquals(up.ids().stream().map(SpillingSinkTest::routing).toList(), up.routings(),
                    "routing (namespace, index annotation, time) survives the spill and the restart");
            Await.until("segments deleted", () -> {
                try {
                    return segmentFiles().isEmpty();
                } catch (IOException e) {
                    return false;
                }
            });
        }
        assertTrue(acked.isEmpty(), "replayed records have no live handle to acknowledge");
    }

    @Test
    void skipsAndCountsACorruptTailLeftByACrashMidWrite() throws Exception {
        ControllableSink down = new ControllableSink(ControllableSink.Mode.FAIL);
        try (SpillingSink sink = buffer(down, 1, 1 << 20, 1)) {
            assertTrue(sink.send(batch(5)).isDone(), "the first batch goes straight through");
            Await.until("the sink failed a batch", () -> counter(BufferMetrics.RETRIES) >= 1);
            for (int i = 1; i < 4; i++) {
                sink.send(batch(5));
            }
        }
        List<Path> segments = segmentFiles();
        assertEquals(1, segments.size());
        Path segment = segments.get(0);
        long size = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size - 40);
        }

        ControllableSink up = new ControllableSink(ControllableSink.Mode.DELIVER);
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        try (SpillingSink sink = restarted(up, 1, 100_000, BufferConfig.Acknowledge.DELIVERED, second)) {
            Await.until("the readable records replayed", () -> up.ids().size() == 14);
            assertEquals(1.0, second.get(BufferMetrics.CORRUPT).counter().count());
            assertEquals(14.0, second.get(BufferMetrics.REPLAYED).counter().count());
            List<String> all = sentIds();
            assertEquals(all.subList(5, 19), up.ids(), "the first batch went straight through, the last record was cut");
            sink.send(batch(3)).get();
            Await.until("new records after the replay", () -> up.ids().size() == 17);
        }
    }

    @Test
    void closeLetsAHealthySinkTakeWhatIsQueuedFirst() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.STALL);
        SpillingSink sink = buffer(inner, 1 << 20, 1 << 20, 1);
        for (int i = 0; i < 5; i++) {
            sink.send(batch(10));
        }
        Thread later = new Thread(() -> {
            try {
                // The forwarder and the closing thread, both waiting: close() is draining.
                ticker.awaitWaiters(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inner.deliver();
        });
        later.start();
        sink.close();

        assertEquals(sentIds(), new ArrayList<>(acked), "all queued batches delivered before the sink closed");
        assertTrue(sink.send(batch(1)).isCompletedExceptionally(), "a closed buffer refuses batches");
    }

    @Test
    void closeGivesUpOnAFailingSinkAndKeepsWhatWasSpilled() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.FAIL);
        SpillingSink sink = buffer(inner, 1, 1 << 20, 1);
        sendAndAwaitFailure(sink);
        for (int i = 1; i < 5; i++) {
            sink.send(batch(10));
        }
        // Time stands still: a close that waited for the drain deadline would never return.
        assertTimeoutPreemptively(Duration.ofSeconds(15), sink::close, "no drain wait while failing");

        assertTrue(acked.isEmpty());
        assertEquals(1, segmentFiles().size(), "the spilled batches stay for the next start");
    }

    @Test
    void blocksTheSenderWhenItHoldsMaxRecordsThoughBytesRemain() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.STALL);
        try (SpillingSink sink = buffer(inner, 1 << 20, 1 << 20, 50, 1)) {
            CompletableFuture<Void> held = sendUntilOneWaits(sink, 2);
            ticker.advance(STALL);
            Await.until("the stalled sink bypassed", held::isDone);
            CompletableFuture<Void> last = sendUntilOneWaits(sink, 100);
            assertFalse(last.isDone(), "a buffer holding logs.buffer.maxRecords makes the sender wait");
            assertEquals(60, nextId, "the batch in flight plus 50 held, then the one that waits");
            assertEquals(1.0, gauge(BufferMetrics.FULL));
            assertTrue(gauge(BufferMetrics.BYTES, "medium", "memory") < 20_000, "far from the byte limits");

            inner.deliver();
            last.get();
            Await.until("all delivered", () -> acked.size() == nextId);
        }
    }

    @Test
    void storedModeAcknowledgesWhatIsSyncedToDiskAndTheNextStartDeliversAllOfIt() throws Exception {
        ControllableSink down = new ControllableSink(ControllableSink.Mode.FAIL);
        try (SpillingSink sink = buffer(down, 4096, 1 << 20, 100, 1, BufferConfig.Acknowledge.STORED)) {
            sendAndAwaitFailure(sink);
            for (int i = 1; i < 30; i++) {
                assertTrue(sink.send(batch(10)).isDone(), "accepted at once");
            }
            assertEquals(0.0, gauge(BufferMetrics.FULL), "300 records held though logs.buffer.maxRecords is 100:"
                    + " records on disk are acknowledged and hold nothing on the heap");
            assertTrue(acked.size() >= 250, "all but the memory tail and the batch in flight: " + acked.size());
        }
        List<String> storedAndAcked = List.copyOf(acked);

        ControllableSink up = new ControllableSink(ControllableSink.Mode.DELIVER);
        try (SpillingSink sink = restarted(up, 4096, 100, BufferConfig.Acknowledge.STORED, new SimpleMeterRegistry())) {
            Await.until("the stored records replayed", () -> up.ids().size() >= storedAndAcked.size());
        }
        // Closed: whatever it would still have replayed twice is in up by now.
        assertTrue(up.ids().containsAll(storedAndAcked), "every acknowledged record comes back from disk");
        assertEquals(up.ids().size(), new java.util.HashSet<>(up.ids()).size(), "once each");
    }

    @Test
    void routesWithNulsNonAsciiTextAndTheLongestAnnotationSurviveASpillAndARestart() throws Exception {
        List<RoutingKey> routes = List.of(new RoutingKey("ns\u0000x", "a\u0000b\u0000c", 7),
                new RoutingKey("gr\u00f6\u00dfe", "x".repeat(SegmentFormat.MAX_FIELD_BYTES), -1), RoutingKey.NONE);
        ControllableSink down = new ControllableSink(ControllableSink.Mode.FAIL);
        try (SpillingSink sink = buffer(down, 1, 1 << 20, 1)) {
            sendAndAwaitFailure(sink);
            assertTrue(sink.send(routed(routes)).isDone());
            assertEquals(3.0, counter(BufferMetrics.SPILLED));
        }

        ControllableSink up = new ControllableSink(ControllableSink.Mode.DELIVER);
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        try (SpillingSink sink = restarted(up, 1, 100_000, BufferConfig.Acknowledge.DELIVERED, second)) {
            Await.until("the spilled records replayed", () -> up.ids().size() == 3);
        }
        assertEquals(routes, up.routings(), "each route exactly as it was, NULs included");
    }

    @Test
    void aRecordWhoseRouteNoFrameCanHoldIsDeadLetteredAndTheRestOfItsBatchSpillsAndReplays() throws Exception {
        String tooLong = "r".repeat(SegmentFormat.MAX_FIELD_BYTES + 1);
        ControllableSink down = new ControllableSink(ControllableSink.Mode.FAIL);
        try (SpillingSink sink = buffer(down, 1, 1 << 20, 1)) {
            sendAndAwaitFailure(sink);
            assertTrue(sink.send(routed(List.of(routing("a"), new RoutingKey("shop", tooLong, 1), routing("c"))))
                    .isDone());
            assertEquals(List.of("rec-00011"), List.copyOf(acked), "the dead letter, and only it, acknowledged");
            assertEquals(1.0, registry.get(BufferMetrics.DEAD_LETTERED).tag("reason", "frame_limit").counter().count());
            assertEquals(2.0, counter(BufferMetrics.SPILLED));
            assertEquals(12.0, gauge(BufferMetrics.RECORDS), "the first batch and the two spilled");
        }
        List<String> letters = Files.readAllLines(dir.resolve("buffer").resolve(SpillDeadLetters.FILE_NAME));
        assertEquals(1, letters.size());
        assertTrue(letters.get(0).contains("\"record_id\":\"rec-00011\"") && letters.get(0).contains(tooLong),
                "the whole record and its route, kept");

        ControllableSink up = new ControllableSink(ControllableSink.Mode.DELIVER);
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        try (SpillingSink sink = restarted(up, 1, 100_000, BufferConfig.Acknowledge.DELIVERED, second)) {
            Await.until("the spilled records replayed", () -> up.ids().size() == 2);
        }
        assertEquals(List.of("rec-00010", "rec-00012"), up.ids());
    }
}

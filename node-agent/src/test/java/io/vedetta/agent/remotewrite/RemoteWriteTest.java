package io.vedetta.agent.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.config.RemoteWriteConfig;
import io.vedetta.agent.relabel.RelabelRule;
import io.vedetta.agent.relabel.Relabeling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteWriteTest {

    @TempDir
    Path dir;

    private final TestReceiver receiver = newReceiver();
    private SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private RemoteWrite remoteWrite;
    private long timestamp = 1_700_000_000_000L;

    private static TestReceiver newReceiver() {
        try {
            return new TestReceiver();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        if (remoteWrite != null) {
            remoteWrite.stop(Duration.ofSeconds(2));
        }
        receiver.close();
    }

    private RemoteWriteConfig.Queue queue(int capacity, int maxShards, int maxSamplesPerSend) {
        return queue(capacity, maxShards, maxSamplesPerSend, true);
    }

    private RemoteWriteConfig.Queue queue(int capacity, int maxShards, int maxSamplesPerSend,
            boolean retryOnRateLimit) {
        return new RemoteWriteConfig.Queue(capacity, maxShards, 1, maxSamplesPerSend, Duration.ofMillis(20),
                Duration.ofMillis(20), Duration.ofMillis(200), retryOnRateLimit);
    }

    private RemoteWrite start(RemoteWriteConfig.Queue queue) throws Exception {
        return start(queue, Optional.empty(), Relabeling.NONE);
    }

    private RemoteWrite start(RemoteWriteConfig.Queue queue, Optional<Path> bearerTokenFile,
            Relabeling writeRelabelConfigs) throws Exception {
        RemoteWriteConfig.Endpoint endpoint = new RemoteWriteConfig.Endpoint("test", receiver.url(),
                Duration.ofSeconds(5), Map.of("X-Scope-OrgID", "team-a"), Optional.empty(), Optional.empty(),
                Optional.empty(), bearerTokenFile, Optional.empty(), false, writeRelabelConfigs, queue);
        RemoteWriteConfig config = new RemoteWriteConfig(List.of(endpoint), Map.of("cluster", "c1"), dir.resolve("wal"),
                64L << 20, Duration.ofHours(2));
        remoteWrite = new RemoteWrite(config, registry, "Vedetta/test", Clock.systemUTC());
        remoteWrite.start();
        return remoteWrite;
    }

    /** Appends one sample for each of {@code series} series of {@code up}, with the next timestamp. */
    private List<String> append(int series) {
        Wal wal = remoteWrite.wal();
        SampleBatch batch = new SampleBatch();
        List<String> expected = new ArrayList<>();
        timestamp += 1000;
        for (int i = 0; i < series; i++) {
            Series s = wal.hold(SeriesLabels.encode(Map.of("__name__", "up", "i", String.valueOf(i))));
            batch.add(s, timestamp, i);
            expected.add("{__name__=\"up\", cluster=\"c1\", i=\"" + i + "\"}@" + timestamp + "=" + (double) i);
            wal.release(s);
        }
        wal.append(batch);
        return expected;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    private double counter(String name) {
        return registry.get(name).tag("remote_name", "test").counter().count();
    }

    @Test
    void sendsEverySampleOnceWithTheRemoteWriteHeadersAndExternalLabels() throws Exception {
        start(queue(1000, 4, 50));
        List<String> expected = new ArrayList<>(append(120));
        expected.addAll(append(120));

        await("every sample arrived", () -> receiver.accepted.size() >= expected.size());

        assertEquals(new HashSet<>(expected), new HashSet<>(receiver.accepted));
        assertEquals(expected.size(), receiver.accepted.size(), "no sample twice");
        TestReceiver.Request first = receiver.requests.get(0);
        assertEquals("snappy", first.headers().get("Content-Encoding"));
        assertEquals("application/x-protobuf", first.headers().get("Content-Type"));
        assertEquals("0.1.0", first.headers().get("X-Prometheus-Remote-Write-Version"));
        assertEquals("team-a", first.headers().get("X-Scope-OrgID"));
        // Counted once the receiver's answer is read, which may be after the receiver has recorded the samples.
        await("every sample counted as sent", () -> counter("prometheus.remote.storage.samples") == 240.0);
    }

    @Test
    void waitsAsRetryAfterSaysOn429AndRetriesA500WithBackoff() throws Exception {
        receiver.answer(new TestReceiver.Answer(429, "1", "slow down"), new TestReceiver.Answer(500, null, "oops"));
        start(queue(1000, 1, 1000));
        List<String> expected = append(10);

        await("the samples arrived", () -> receiver.accepted.size() >= expected.size());

        assertEquals(expected, receiver.accepted);
        List<TestReceiver.Request> r = receiver.requests;
        assertEquals(List.of(429, 500, 204), r.stream().map(TestReceiver.Request::status).toList());
        assertTrue(r.get(1).atNanos() - r.get(0).atNanos() >= 1_000_000_000L, "Retry-After: 1 was not honoured");
        assertEquals(20.0, counter("prometheus.remote.storage.samples.retried"));
    }

    /** As Prometheus with {@code retry_on_http_429: false}: the request is dropped, its samples failed. */
    @Test
    void dropsA429WithoutRetryingWhenRetryOnRateLimitIsOffAndCountsItsSamplesAsFailed() throws Exception {
        receiver.answer(new TestReceiver.Answer(429, "1", "slow down"));
        start(queue(1000, 1, 1000, false));
        append(10);
        await("the rate-limited request was dropped", () -> counter("prometheus.remote.storage.samples.failed") == 10);
        List<String> next = append(10);

        await("the next samples arrived", () -> receiver.accepted.size() >= 10);

        assertEquals(next, receiver.accepted);
        assertEquals(List.of(429, 204), receiver.requests.stream().map(TestReceiver.Request::status).toList(),
                "the rate-limited request was not sent again");
        assertEquals(0.0, counter("prometheus.remote.storage.samples.retried"));
    }

    @Test
    void neverRetriesA400CountsItsSamplesAsFailedAndGoesOn() throws Exception {
        receiver.answer(new TestReceiver.Answer(400, null, "out of order sample"));
        start(queue(1000, 1, 1000));
        append(10);
        await("the first request was refused", () -> counter("prometheus.remote.storage.samples.failed") == 10);
        List<String> next = append(10);

        await("the next samples arrived", () -> receiver.accepted.size() >= 10);

        assertEquals(next, receiver.accepted);
        assertEquals(2, receiver.requests.size(), "the refused request was not sent again");
    }

    @Test
    void writeRelabellingSeesTheExternalLabelsAndDropsAndRewritesWhatThisEndpointIsSent() throws Exception {
        start(queue(1000, 1, 1000), Optional.empty(), new Relabeling(List.of(
                RelabelRule.of(new RelabelRule.Written(List.of("i"), null, "[1-4]", null, null, null, "drop")),
                RelabelRule.of(new RelabelRule.Written(List.of("cluster", "i"), "-", null, null, "origin", null,
                        null)))));
        append(6);

        await("the kept samples arrived", () -> receiver.accepted.size() >= 2);

        assertEquals(List.of("{__name__=\"up\", cluster=\"c1\", i=\"0\", origin=\"c1-0\"}@" + timestamp + "=0.0",
                "{__name__=\"up\", cluster=\"c1\", i=\"5\", origin=\"c1-5\"}@" + timestamp + "=5.0"),
                receiver.accepted.stream().sorted().toList());
        assertEquals(4.0, counter("prometheus.remote.storage.samples.dropped"));
    }

    @Test
    void readsARotatedTokenAgainWhenTheReceiverAnswers401AndSendsTheRequestAgain() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "old");
        FileTime written = Files.getLastModifiedTime(token);
        receiver.requiredBearer = "new";
        start(queue(1000, 1, 1000), Optional.of(token), Relabeling.NONE);
        // Rotated in place with its attributes unchanged: only the re-read that a 401 forces can see it.
        Files.writeString(token, "new");
        Files.setLastModifiedTime(token, written);
        List<String> expected = append(10);

        await("the samples arrived", () -> receiver.accepted.size() >= expected.size());

        assertEquals(expected, receiver.accepted);
        assertEquals(List.of(401, 204), receiver.requests.stream().map(TestReceiver.Request::status).toList());
        assertEquals(0.0, counter("prometheus.remote.storage.samples.failed"));
        assertEquals(1.0, registry.get("vedetta.remote.write.secret.rereads").tag("result", "changed").counter()
                .count());
    }

    @Test
    void resumesAfterARestartWithoutSendingWhatWasAcknowledgedAgain() throws Exception {
        start(queue(1000, 4, 30));
        List<String> expected = new ArrayList<>(append(100));
        await("the first samples arrived", () -> receiver.accepted.size() >= 100);
        remoteWrite.stop(Duration.ofSeconds(2));
        receiver.delayMillis = 0;

        registry = new SimpleMeterRegistry();
        start(queue(1000, 4, 30));
        expected.addAll(append(100));
        await("the later samples arrived", () -> receiver.accepted.size() >= 200);

        assertEquals(new HashSet<>(expected), new HashSet<>(receiver.accepted));
        assertEquals(200, receiver.accepted.size(), "no sample twice");
    }

    @Test
    void keepsSamplesInTheLogWhileTheReceiverIsDownAndSendsThemWhenItIsBack() throws Exception {
        start(queue(100, 1, 50));
        receiver.answer(new TestReceiver.Answer(503, null, "down"), new TestReceiver.Answer(503, null, "down"),
                new TestReceiver.Answer(503, null, "down"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.addAll(append(50));
        }

        await("every sample arrived", () -> receiver.accepted.size() >= expected.size());

        assertEquals(expected, receiver.accepted, "in order, none twice");
    }

    /**
     * A receiver that takes 200 ms per request of at most 100 samples gives one shard 500 samples a second; 2,000 come
     * in each second. Shards are recomputed every ten seconds, as in Prometheus.
     */
    @Test
    void addsShardsForASlowReceiverWithoutHoldingMoreThanTheQueuesInMemory() throws Exception {
        receiver.delayMillis = 200;
        int capacity = 500;
        int maxShards = 8;
        start(queue(capacity, maxShards, 100));
        List<String> expected = new ArrayList<>();
        long maxPending = 0;
        long until = System.nanoTime() + Duration.ofSeconds(25).toNanos();
        while (System.nanoTime() < until) {
            expected.addAll(append(200));
            maxPending = Math.max(maxPending, (long) registry.get("prometheus.remote.storage.samples.pending")
                    .gauge().value());
            Thread.sleep(100);
        }
        double shards = registry.get("prometheus.remote.storage.shards").gauge().value();

        await("every sample arrived", () -> receiver.accepted.size() >= expected.size());

        assertTrue(shards > 1, "still " + shards + " shard(s)");
        assertTrue(maxPending <= (long) capacity * maxShards + maxShards * 100L, maxPending + " samples pending");
        assertEquals(new HashSet<>(expected), new HashSet<>(receiver.accepted));
    }
}

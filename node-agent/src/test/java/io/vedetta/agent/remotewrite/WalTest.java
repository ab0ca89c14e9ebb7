package io.vedetta.agent.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.testing.TestClock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {

    private static final long SIXTEEN_MIB = 16L << 20;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Wal open(long maxBytes, Duration maxAge) throws IOException {
        return Wal.open(dir, maxBytes, maxAge, clock, new WalMetrics(registry, maxBytes));
    }

    private static byte[] labels(String name, String... pairs) {
        Map<String, String> m = new java.util.TreeMap<>();
        m.put("__name__", name);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return SeriesLabels.encode(m);
    }

    /** Every sample the reader gets from {@code from} on, as "ref@ts=value", until nothing more comes. */
    private static List<String> readAll(Wal wal, WalPosition from) throws Exception {
        List<String> out = new ArrayList<>();
        try (WalReader reader = wal.reader(from)) {
            WalRecords r;
            while ((r = reader.next(50)) != null) {
                for (int i = 0; i < r.count; i++) {
                    out.add(SeriesLabels.toString(wal.series(r.refs[i]).labels()) + "@" + r.timestamps[i] + "="
                            + r.values[i]);
                }
            }
        }
        return out;
    }

    @Test
    void readsBackWhatWasAppendedAndAgainAfterARestart() throws Exception {
        List<String> expected = new ArrayList<>();
        try (Wal wal = open(SIXTEEN_MIB, Duration.ofHours(2))) {
            Series up = wal.hold(labels("up", "job", "a"));
            Series requests = wal.hold(labels("requests_total", "job", "a", "code", "200"));
            SampleBatch batch = new SampleBatch();
            for (int scrape = 0; scrape < 3; scrape++) {
                batch.clear();
                batch.add(up, 1000L * scrape, 1);
                batch.add(requests, 1000L * scrape, 10 * scrape);
                assertEquals(2, wal.append(batch));
                expected.add("{__name__=\"up\", job=\"a\"}@" + 1000 * scrape + "=1.0");
                expected.add("{__name__=\"requests_total\", code=\"200\", job=\"a\"}@" + 1000 * scrape + "="
                        + 10.0 * scrape);
            }
            assertEquals(expected, readAll(wal, WalPosition.START));
        }
        try (Wal wal = open(SIXTEEN_MIB, Duration.ofHours(2))) {
            assertEquals(expected, readAll(wal, WalPosition.START));
            Series again = wal.hold(labels("up", "job", "a"));
            assertEquals(1, again.ref(), "a series keeps its reference across restarts");
        }
    }

    @Test
    void leavesOutSamplesNoNewerThanTheLastOfTheirSeries() throws Exception {
        try (Wal wal = open(SIXTEEN_MIB, Duration.ofHours(2))) {
            Series s = wal.hold(labels("up"));
            SampleBatch batch = new SampleBatch();
            batch.add(s, 2000, 1);
            batch.add(s, 2000, 2);
            batch.add(s, 1000, 3);
            batch.add(s, 3000, 4);

            assertEquals(2, wal.append(batch));
            assertEquals(List.of("{__name__=\"up\"}@2000=1.0", "{__name__=\"up\"}@3000=4.0"),
                    readAll(wal, WalPosition.START));
            assertEquals(2.0, registry.get("vedetta.wal.samples.rejected").tag("reason", "out_of_order").counter()
                    .count());
        }
    }

    @Test
    void cutsOffARecordTornByACrashAndKeepsTheWholeOnes() throws Exception {
        Path lastSegment;
        try (Wal wal = open(SIXTEEN_MIB, Duration.ofHours(2))) {
            Series s = wal.hold(labels("up"));
            SampleBatch batch = new SampleBatch();
            batch.add(s, 1000, 1);
            wal.append(batch);
            batch.clear();
            batch.add(s, 2000, 2);
            wal.append(batch);
            lastSegment = segments().get(segments().size() - 1);
        }
        long whole = Files.size(lastSegment);
        try (FileChannel c = FileChannel.open(lastSegment, StandardOpenOption.WRITE)) {
            c.truncate(whole - 3);
        }
        Files.write(dir.resolve(Wal.SERIES_FILE), new byte[] {0, 0, 0, 9, 1, 2}, StandardOpenOption.APPEND);

        try (Wal wal = open(SIXTEEN_MIB, Duration.ofHours(2))) {
            assertEquals(List.of("{__name__=\"up\"}@1000=1.0"), readAll(wal, WalPosition.START));
            assertTrue(registry.get("vedetta.wal.corrupt").counter().count() > 0);
            Series s = wal.hold(labels("up"));
            SampleBatch batch = new SampleBatch();
            batch.add(s, 3000, 3);
            wal.append(batch);
            assertEquals(List.of("{__name__=\"up\"}@1000=1.0", "{__name__=\"up\"}@3000=3.0"),
                    readAll(wal, WalPosition.START));
        }
    }

    /** A cursor that has read nothing and acknowledged nothing: an endpoint that is down. */
    private static final class Stuck implements Wal.Cursor {
        long lost;
        String reason;

        @Override
        public WalPosition acknowledged() {
            return WalPosition.START;
        }

        @Override
        public WalPosition read() {
            return WalPosition.START;
        }

        @Override
        public void lost(long samples, String why) {
            lost += samples;
            reason = why;
        }
    }

    @Test
    void dropsTheOldestSegmentsOverTheSizeLimitAndCountsWhatTheEndpointHadNotRead() throws Exception {
        try (Wal wal = open(SIXTEEN_MIB, Duration.ofHours(2))) {
            Stuck endpoint = new Stuck();
            wal.register(endpoint);
            long appended = fill(wal, 24L << 20);

            wal.maintain();

            assertTrue(wal.bytes() <= SIXTEEN_MIB, wal.bytes() + " bytes");
            assertEquals("size", endpoint.reason);
            List<String> left = readAll(wal, WalPosition.START);
            assertEquals(appended, endpoint.lost + left.size(), "every sample is either still there or counted");
            assertTrue(endpoint.lost > 0);
        }
    }

    @Test
    void dropsSegmentsOlderThanTheAgeLimitAndDeletesThoseEveryEndpointAcknowledged() throws Exception {
        try (Wal wal = open(SIXTEEN_MIB, Duration.ofHours(2))) {
            Stuck endpoint = new Stuck();
            wal.register(endpoint);
            fill(wal, 3L << 20);
            int before = segments().size();
            clock.advance(Duration.ofHours(3));

            wal.maintain();

            assertEquals("age", endpoint.reason);
            assertTrue(segments().size() < before);
            wal.unregister(endpoint);
            fill(wal, 3L << 20);
            wal.maintain();
            assertEquals(1, segments().size(), "without an endpoint needing them, closed segments go");
        }
    }

    @Test
    void forgetsSeriesThatNoSegmentHoldsAndNoScrapeHolds() throws Exception {
        try (Wal wal = open(SIXTEEN_MIB, Duration.ofHours(2))) {
            Series gone = wal.hold(labels("gone"));
            Series kept = wal.hold(labels("kept"));
            SampleBatch batch = new SampleBatch();
            batch.add(gone, 1, 1);
            batch.add(kept, 1, 1);
            wal.append(batch);
            wal.release(gone);
            fill(wal, 3L << 20);

            wal.maintain();

            assertNull(wal.series(gone.ref()));
            assertSame(kept, wal.series(kept.ref()));
        }
    }

    /** Appends random samples until about {@code bytes} are on disk; returns how many. */
    private long fill(Wal wal, long bytes) {
        Random random = new Random(1);
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            series.add(wal.hold(labels("filler", "i", String.valueOf(i))));
        }
        SampleBatch batch = new SampleBatch();
        long appended = 0;
        long ts = clock.millis();
        while (wal.bytes() < bytes) {
            batch.clear();
            ts++;
            for (Series s : series) {
                batch.add(s, ts, random.nextDouble());
            }
            appended += wal.append(batch);
        }
        series.forEach(wal::release);
        return appended;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(Wal.SEGMENTS_DIR))) {
            return files.sorted().toList();
        }
    }
}

package io.vedetta.logs.tail;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.vedetta.logs.tail.Collector.ackAll;
import static io.vedetta.logs.tail.Collector.text;
import static io.vedetta.logs.tail.Collector.texts;
import static io.vedetta.logs.tail.TailFixture.WAIT;
import static io.vedetta.logs.tail.TailFixture.append;
import static io.vedetta.logs.tail.TailFixture.appendRaw;
import static io.vedetta.logs.tail.TailFixture.await;
import static io.vedetta.logs.tail.TailFixture.io;
import static io.vedetta.logs.tail.TailFixture.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TailerTest {

    @TempDir
    Path tmp;
    TailFixture fx;

    @BeforeEach
    void setUp() throws IOException {
        fx = new TailFixture(tmp);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void picksUpNewFileWithinASecond() throws Exception {
        Collector out = new Collector(100);
        // A rescan once an hour: only the directory watch can find the file in time.
        append(fx.logs.resolve("existing.log"), "existing");
        fx.start(fx.config().rescanInterval(Duration.ofHours(1)).build(), out);
        assertEquals("existing", text(out.take(1, WAIT).get(0)), "the first scan is done");

        long written = System.nanoTime();
        append(fx.logs.resolve("new.log"), "hello");
        List<RawLine> lines = out.take(1, Duration.ofSeconds(1));

        Duration took = Duration.ofNanos(System.nanoTime() - written);
        assertEquals("hello", text(lines.get(0)));
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "took " + took);
    }

    @Test
    void cutsLinesOfEveryLengthAtTheirNewlines() throws Exception {
        // Bytes next to '\n' in value (0x0B, 0x09, and 0x8A within U+010A's UTF-8) must not pass for it.
        String alphabet = "a\u000b\t \u00e9\u010a";
        Random random = new Random(5);
        String[] lines = new String[2000];
        for (int i = 0; i < lines.length; i++) {
            StringBuilder line = new StringBuilder();
            for (int n = random.nextInt(41); n > 0; n--) {
                line.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            lines[i] = line.toString();
        }
        Path log = fx.logs.resolve("app.log");
        append(log, lines);
        Collector out = new Collector(lines.length);
        fx.start(fx.config().build(), out);

        List<RawLine> got = out.take(lines.length, WAIT);
        assertEquals(Arrays.asList(lines), texts(got));
        for (int i = 1; i < got.size(); i++) {
            assertEquals(got.get(i - 1).endOffset(), got.get(i).startOffset());
        }
        assertEquals(Files.size(log), got.get(got.size() - 1).endOffset());
    }

    @Test
    void followsSymlinkedContainerLogs() throws Exception {
        Path podDir = Files.createDirectories(fx.dir.resolve("pods/default_web-1_0f0e/app"));
        Path target = podDir.resolve("0.log");
        append(target, "first");
        Path link = Files.createSymbolicLink(fx.logs.resolve("web-1_default_app-abc123.log"), target);
        Collector out = new Collector(100);
        fx.start(fx.config().rescanInterval(Duration.ofHours(1)).build(), out);

        RawLine first = out.take(1, WAIT).get(0);
        assertEquals("first", text(first));
        assertEquals(link, first.path(), "the path the glob matched, which names pod, namespace and container");
        assertEquals(FileKey.of(target), first.file());

        // The kubelet's rotation happens behind the link: only a watch on the pod directory sees it.
        Files.move(target, podDir.resolve("0.log.20261125-010203"));
        append(target, "after rotation");
        assertEquals(List.of("after rotation"), texts(out.take(1, Duration.ofSeconds(2))));
    }

    @Test
    void survivesRotationByRenameWithoutLoss() throws Exception {
        Path log = fx.logs.resolve("app.log");
        append(log, numbered("old-", 0, 3));
        Collector out = new Collector(1000);
        fx.start(fx.config().build(), out);
        assertEquals(List.of("old-0", "old-1", "old-2"), texts(out.take(3, WAIT)));

        Path rotated = fx.logs.resolve("app.log.20261125-010203");
        Files.move(log, rotated);
        // The writer has not reopened yet: these land in the renamed file, after it left the glob.
        append(rotated, numbered("old-", 3, 6));
        append(log, numbered("new-", 0, 3));

        List<String> got = texts(out.take(6, WAIT));
        assertEquals(List.of("old-3", "old-4", "old-5", "new-0", "new-1", "new-2"), got);
        assertEquals(1.0, fx.metric(TailMetrics.FILES_ROTATED));
        await("the rotated file is closed after the rotate wait",
                () -> fx.metric(TailMetrics.FILES_WATCHED) == 1.0);
        out.expectNothing(Duration.ofMillis(100));
    }

    @Test
    void survivesCopyTruncateWithoutLoss() throws Exception {
        Path log = fx.logs.resolve("app.log");
        String[] before = numbered("line-before-copytruncate-", 0, 3000);
        append(log, before);
        Collector out = new Collector(5);
        fx.start(fx.config().build(), out);
        await("the reader is held back by the full consumer", () -> fx.metric(TailMetrics.PAUSED) == 1.0);

        // logrotate's copytruncate, while the reader is far behind.
        Files.copy(log, fx.logs.resolve("app.log.1"));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, numbered("after-", 0, 10));

        List<String> got = new ArrayList<>();
        while (got.size() < 3010) {
            got.addAll(texts(out.take(1, WAIT)));
        }
        List<String> expected = new ArrayList<>(Arrays.asList(before));
        expected.addAll(Arrays.asList(numbered("after-", 0, 10)));
        assertEquals(expected, got);
        assertEquals(1.0, fx.metric(TailMetrics.FILES_TRUNCATED));
        assertEquals(1.0, fx.metric(TailMetrics.FILES_ROTATED));
    }

    @Test
    void detectsTruncationAndRestartsFromZero() throws Exception {
        Path log = fx.logs.resolve("app.log");
        append(log, "a long first line", "a long second line", "a long third line");
        Collector out = new Collector(100);
        fx.start(fx.config().build(), out);
        ackAll(out.take(3, WAIT));
        await("the position reached the end", io(() -> fx.savedOffset(log) == Files.size(log)));

        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, "x", "y");

        List<RawLine> lines = out.take(2, WAIT);
        assertEquals(List.of("x", "y"), texts(lines));
        assertEquals(0, lines.get(0).startOffset());
        assertEquals(1.0, fx.metric(TailMetrics.FILES_TRUNCATED));
        ackAll(lines);
        await("the position restarted in the new content", io(() -> fx.savedOffset(log) == 4));
    }

    @Test
    void detectsInodeReuse() throws Exception {
        Path log = fx.logs.resolve("app.log");
        // Over 1 KiB of identical head, so the fingerprint matches and only the bytes before the offset differ.
        String[] head = numbered("identical header line number ", 0, 40);
        append(log, head);
        append(log, "old content");
        Collector out = new Collector(100);
        Tailer first = fx.start(fx.config().build(), out);
        ackAll(out.take(41, WAIT));
        long offset = Files.size(log);
        await("the position reached the end", io(() -> fx.savedOffset(log) == offset));
        first.close();

        FileKey key = FileKey.of(log);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.force(true);
        }
        append(log, head);
        append(log, "new content", "is longer than the old");
        assertEquals(key, FileKey.of(log), "same device and inode, other content");
        assertTrue(Files.size(log) > offset);

        Collector again = new Collector(100);
        fx.start(fx.config().build(), again);
        List<String> got = texts(again.take(42, WAIT));
        assertEquals("identical header line number 0", got.get(0));
        assertEquals(List.of("new content", "is longer than the old"), got.subList(40, 42));
        assertEquals(1.0, fx.metric(TailMetrics.FILES_TRUNCATED));
    }

    @Test
    void resumesFromSavedOffsetAfterRestart() throws Exception {
        Path log = fx.logs.resolve("app.log");
        append(log, numbered("line-", 0, 5));
        Collector out = new Collector(100);
        Tailer first = fx.start(fx.config().build(), out);
        List<RawLine> read = out.take(5, WAIT);
        ackAll(read.subList(0, 3));
        await("the position is after line-2", io(() -> fx.savedOffset(log) == read.get(2).endOffset()));
        first.close();
        append(log, "line-5");

        Collector again = new Collector(100);
        fx.start(fx.config().build(), again);
        List<RawLine> resumed = again.take(3, WAIT);

        assertEquals(List.of("line-3", "line-4", "line-5"), texts(resumed));
        assertEquals(read.get(3).startOffset(), resumed.get(0).startOffset());
        assertEquals(read.get(3).id(), resumed.get(0).id(), "a re-read line keeps its id");
        assertEquals(read.get(4).id(), resumed.get(1).id());
        again.expectNothing(Duration.ofMillis(100));
    }

    @Test
    void idsNameDeviceInodeFingerprintUpToTheLineAndStartOffset() throws Exception {
        Path log = fx.logs.resolve("app.log");
        // 100-byte lines: the first ten end within the 1 KiB fingerprint, the rest share the whole of it.
        String[] lines = new String[30];
        Arrays.setAll(lines, i -> String.format("%03d-", i) + "x".repeat(95));
        append(log, lines);
        Collector out = new Collector(100);
        fx.start(fx.config().build(), out);
        List<RawLine> read = out.take(lines.length, WAIT);

        byte[] content = Files.readAllBytes(log);
        FileKey key = FileKey.of(log);
        for (RawLine line : read) {
            int fingerprinted = (int) Math.min(Fingerprint.MAX_BYTES, line.endOffset());
            String expected = Long.toHexString(key.dev()) + "-" + Long.toHexString(key.ino()) + "-"
                    + Long.toHexString(ContentHash.of(content, 0, fingerprinted)) + "-"
                    + Long.toHexString(line.startOffset());
            assertEquals(expected, line.id().toString(), "line at " + line.startOffset());
        }
    }

    @Test
    void resumesAFileRotatedWhileStopped() throws Exception {
        StoppedContainer c = readContainerLogAndStop(5, 3);

        Path rotated = c.target().resolveSibling("0.log.20261125-010203");
        Files.move(c.target(), rotated);
        append(rotated, "line-5");
        append(c.target(), "new-0");

        Collector again = new Collector(100);
        fx.start(fx.config().build(), again);
        List<RawLine> resumed = again.take(4, WAIT);
        assertEquals(List.of("line-3", "line-4", "line-5", "new-0"), texts(resumed));
        assertEquals(c.link(), resumed.get(0).path(), "lines of the rotated file still carry the container's name");
        assertEquals(c.read().get(3).id(), resumed.get(0).id());
    }

    @Test
    void resumesAFileRotatedWhileStoppedBeforeTheWriterReopened() throws Exception {
        StoppedContainer c = readContainerLogAndStop(3, 1);

        // Renamed, and no new 0.log yet: the link dangles when the agent comes back.
        Files.move(c.target(), c.target().resolveSibling("0.log.20261125-010203"));
        Collector again = new Collector(100);
        fx.start(fx.config().build(), again);
        assertEquals(List.of("line-1", "line-2"), texts(again.take(2, WAIT)));

        append(c.target(), "new-0");
        List<RawLine> next = again.take(1, WAIT);
        assertEquals(List.of("new-0"), texts(next));
        assertEquals(c.link(), next.get(0).path());
    }

    private record StoppedContainer(Path target, Path link, List<RawLine> read) {
    }

    /**
     * A kubelet-style container log behind a link: {@code lines} lines read by a tailer, the first {@code acked}
     * of them acknowledged and saved, then the tailer stopped.
     */
    private StoppedContainer readContainerLogAndStop(int lines, int acked) throws Exception {
        Path podDir = Files.createDirectories(fx.dir.resolve("pods/default_web-1_0f0e/app"));
        Path target = podDir.resolve("0.log");
        append(target, numbered("line-", 0, lines));
        Path link = Files.createSymbolicLink(fx.logs.resolve("web-1_default_app-abc123.log"), target);
        Collector out = new Collector(100);
        Tailer first = fx.start(fx.config().build(), out);
        List<RawLine> read = out.take(lines, WAIT);
        ackAll(read.subList(0, acked));
        long saved = read.get(acked - 1).endOffset();
        await("the position is after line-" + (acked - 1), io(() -> fx.savedOffset(target) == saved));
        first.close();
        return new StoppedContainer(target, link, read);
    }

    @Test
    void resumesSeveralRotatedFilesOldestFirst() throws Exception {
        Path log = fx.logs.resolve("app.log");
        // Made up front and used newest inode first, so neither inode order nor name order is the age order.
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            files.add(Files.createFile(fx.dir.resolve("spare-" + i)));
        }
        Collections.reverse(files);
        Collector out = new Collector(100);
        Tailer first = fx.start(fx.config().build(), out);
        List<String> written = new ArrayList<>();
        for (int g = 0; g < files.size(); g++) {
            Files.move(files.get(g), log);
            String[] lines = numbered("gen-" + g + "-", 0, 2);
            append(log, lines);
            written.addAll(List.of(lines));
            assertEquals(List.of(lines), texts(out.take(2, WAIT)));
            Files.move(log, fx.logs.resolve("app.log." + (char) ('e' - g)));
        }
        // Nothing acknowledged: after the restart every rotated file is read again from its start.
        first.close();

        Collector again = new Collector(100);
        fx.start(fx.config().build(), again);
        assertEquals(written, texts(again.take(written.size(), WAIT)));
        again.expectNothing(Duration.ofMillis(100));
    }

    @Test
    void positionMovesOnlyAfterOrderedAcks() throws Exception {
        Path log = fx.logs.resolve("app.log");
        append(log, numbered("line-", 0, 5));
        Collector out = new Collector(100);
        fx.start(fx.config().build(), out);
        List<RawLine> lines = out.take(5, WAIT);
        await("the file is listed at offset 0", io(() -> fx.savedOffset(log) == 0));

        lines.get(1).ack().acknowledge();
        lines.get(4).ack().acknowledge();
        lines.get(3).ack().acknowledge();
        assertEquals(0.0, fx.metric(TailMetrics.POSITIONS_COMMITTED), "line-0 is not acknowledged yet");

        lines.get(0).ack().acknowledge();
        assertEquals(1.0, fx.metric(TailMetrics.POSITIONS_COMMITTED));
        await("the position is after line-1", io(() -> fx.savedOffset(log) == lines.get(1).endOffset()));

        lines.get(2).ack().acknowledge();
        await("the position is at the end", io(() -> fx.savedOffset(log) == Files.size(log)));
        assertEquals(2.0, fx.metric(TailMetrics.POSITIONS_COMMITTED));
    }

    @Test
    void savesAcknowledgementsThatArriveWhileClosing() throws Exception {
        Path log = fx.logs.resolve("app.log");
        append(log, numbered("line-", 0, 3));
        Collector out = new Collector(100);
        Tailer tailer = fx.start(fx.config().checkpointInterval(Duration.ofHours(1)).build(), out);
        List<RawLine> lines = out.take(3, WAIT);

        Thread closing = new Thread(() -> tailer.close(Duration.ofSeconds(5)));
        closing.start();
        await("the tailer stopped reading", () -> closing.getState() != Thread.State.RUNNABLE);
        ackAll(lines);
        closing.join(WAIT.toMillis());

        assertEquals(Files.size(log), fx.savedOffset(log));
    }

    @Test
    void forgetsFilesGoneLongerThanTheRetention() throws Exception {
        Path gone = fx.logs.resolve("gone.log");
        Path stays = fx.logs.resolve("stays.log");
        append(gone, "bye");
        append(stays, "hi");
        Collector out = new Collector(100);
        fx.start(fx.config().rotateWait(Duration.ofMillis(50)).stateRetention(Duration.ofMillis(300)).build(), out);
        ackAll(out.take(2, WAIT));
        FileKey goneKey = FileKey.of(gone);
        await("both positions are saved", io(() -> fx.savedOffset(goneKey) == 4 && fx.savedOffset(stays) == 3));

        Files.delete(gone);

        await("the deleted file is forgotten", io(() -> fx.savedOffset(goneKey) == -1));
        assertEquals(3, fx.savedOffset(stays));
    }

    @Test
    void readsExistingFilesFromTailOnFirstStartWhenConfigured() throws Exception {
        Path existing = fx.logs.resolve("existing.log");
        append(existing, "old-1", "old-2");
        appendRaw(existing, "half");
        Collector out = new Collector(100);
        fx.start(fx.config().readFrom(TailConfig.ReadFrom.TAIL).build(), out);
        await("the existing file is open", () -> fx.metric(TailMetrics.FILES_WATCHED) == 1.0);

        appendRaw(existing, " written\n");
        append(existing, "new-1");
        append(fx.logs.resolve("later.log"), "later-1");

        List<String> got = new ArrayList<>(texts(out.take(3, WAIT)));
        assertTrue(got.remove("later-1"), "a file created after the start is read from its head: " + got);
        assertEquals(List.of("half written", "new-1"), got);
    }

    @Test
    void pausesReaderWhenConsumerIsFull() throws Exception {
        Path log = fx.logs.resolve("app.log");
        append(log, numbered("line-", 0, 100));
        Collector out = new Collector(10);
        fx.start(fx.config().build(), out);

        await("the reader paused", () -> fx.metric(TailMetrics.PAUSED) == 1.0);
        assertEquals(10, out.size());
        assertTrue(fx.metric(TailMetrics.LINES_READ) <= 11, "reading stopped, read " + fx.metric(TailMetrics.LINES_READ));

        assertEquals(Arrays.asList(numbered("line-", 0, 100)), texts(out.take(100, WAIT)));
        await("the reader resumed", () -> fx.metric(TailMetrics.PAUSED) == 0.0);
    }

    @Test
    void truncatesLinesLongerThanTheReadLimitAndCountsThem() throws Exception {
        Path log = fx.logs.resolve("app.log");
        // Longer than the read buffer, so the dropped rest spans several reads.
        append(log, "before", "y".repeat(300_000), "after");
        Collector out = new Collector(100);
        fx.start(fx.config().maxLineBytes(1024).build(), out);

        List<RawLine> lines = out.take(3, WAIT);
        assertEquals(List.of("before", "y".repeat(1024), "after"), texts(lines));
        assertEquals(1.0, fx.metric(TailMetrics.LINES_TRUNCATED));
        ackAll(lines);
        await("the position passed the dropped bytes", io(() -> fx.savedOffset(log) == Files.size(log)));
    }

    @Test
    void leavesOutExcludedFiles() throws Exception {
        append(fx.logs.resolve("app_kube-system_x.log"), "excluded");
        append(fx.logs.resolve("app_default_x.log"), "included");
        Collector out = new Collector(100);
        fx.start(fx.config().excludePaths(List.of(fx.logs + "/*_kube-system_*.log")).build(), out);

        assertEquals(List.of("included"), texts(out.take(1, WAIT)));
        out.expectNothing(Duration.ofMillis(200));
    }

    @Test
    void givesDifferentFilesAndOffsetsDifferentIds() throws Exception {
        append(fx.logs.resolve("a.log"), "same");
        append(fx.logs.resolve("b.log"), "same", "same");
        Collector out = new Collector(100);
        fx.start(fx.config().build(), out);

        List<String> ids = out.take(3, WAIT).stream().map(line -> line.id().toString()).toList();
        assertEquals(3, ids.stream().distinct().count(), ids.toString());
    }

    @Test
    void exposesMetricsUnderPrometheusNames() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Tailer tailer = new Tailer(fx.config().build(), new Collector(10), prometheus);
        fx.tailers.add(tailer);

        String scrape = prometheus.scrape();
        for (String name : List.of("vedetta_log_files_watched ", "vedetta_log_paused ",
                "vedetta_log_bytes_read_total ", "vedetta_log_lines_read_total ",
                "vedetta_log_lines_truncated_total ",
                "vedetta_log_files_rotated_total ", "vedetta_log_files_truncated_total ",
                "vedetta_log_positions_committed_total ")) {
            assertTrue(scrape.contains("\n" + name), name + " missing from\n" + scrape);
        }
        assertNotEquals(-1, scrape.indexOf("# TYPE vedetta_log_paused gauge"));
        // Every reason from the start, so rate() and the dashboard see 0 rather than no data before a failure.
        for (String reason : List.of("open", "read", "state_load", "state_write", "watch", "internal")) {
            String series = "vedetta_log_read_errors_total{reason=\"" + reason + "\"} 0.0";
            assertTrue(scrape.contains("\n" + series), series + " missing from\n" + scrape);
        }
    }

    @Test
    void setsAsideAnUnreadablePositionsFileAndReadsFromTheStart() throws Exception {
        Files.createDirectories(fx.state);
        Files.writeString(fx.state.resolve(PositionStore.FILE_NAME), "{\"version\": 99, \"files\": []}");
        Path log = fx.logs.resolve("app.log");
        append(log, "kept");
        Collector out = new Collector(10);
        fx.start(fx.config().readFrom(TailConfig.ReadFrom.TAIL).build(), out);

        assertEquals(List.of("kept"), texts(out.take(1, WAIT)));
        assertEquals(1.0, fx.registry.get(TailMetrics.READ_ERRORS).tag("reason", "state_load").counter().count());
        try (var aside = Files.list(fx.state)) {
            assertTrue(aside.anyMatch(p -> p.getFileName().toString().startsWith("positions.json.unreadable-")));
        }
    }

    @Test
    void readsFromTheEndWhenPositionsAreUnreadableAndConfiguredSo() throws Exception {
        Files.createDirectories(fx.state);
        Files.writeString(fx.state.resolve(PositionStore.FILE_NAME), "not json at all");
        Path log = fx.logs.resolve("app.log");
        append(log, "already shipped before the state was lost");
        Collector out = new Collector(10);
        fx.start(fx.config().onCorruptPositions(TailConfig.ReadFrom.TAIL).build(), out);
        await("the file opened at its end", () -> fx.metric(TailMetrics.FILES_WATCHED) == 1.0);
        append(log, "new");

        assertEquals(List.of("new"), texts(out.take(1, WAIT)));
        assertEquals(1.0, fx.registry.get(TailMetrics.READ_ERRORS).tag("reason", "state_load").counter().count());
    }
}

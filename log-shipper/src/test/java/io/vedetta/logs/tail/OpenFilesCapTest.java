package io.vedetta.logs.tail;

import static io.vedetta.logs.tail.Collector.ackAll;
import static io.vedetta.logs.tail.Collector.texts;
import static io.vedetta.logs.tail.TailFixture.append;
import static io.vedetta.logs.tail.TailFixture.await;
import static io.vedetta.logs.tail.TailFixture.io;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More files than {@code logs.maxOpenFiles}, on real files: they take turns, none starves, none is lost, and a file
 * closed to give its place goes on where it stopped when its turn comes back, under a rotated name too.
 */
class OpenFilesCapTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private TailFixture fx;

    @BeforeEach
    void setUp() throws IOException {
        fx = new TailFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Path file(int n) {
        return fx.logs.resolve("f" + n + ".log");
    }

    /** Every line once: ids are unique, and each file's lines in order. */
    private static void assertEachOnceInOrder(List<RawLine> lines, int files, int from, int to) {
        Set<String> ids = new HashSet<>();
        lines.forEach(l -> assertTrue(ids.add(l.id().toString()), "read twice: " + Collector.text(l)));
        for (int f = 0; f < files; f++) {
            String prefix = "f" + f + " ";
            List<String> got = texts(lines).stream().filter(t -> t.startsWith(prefix)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = from; i < to; i++) {
                expected.add(prefix + i);
            }
            assertEquals(expected, got);
        }
    }

    private static void lines(Path file, String prefix, int from, int to) throws IOException {
        String[] lines = new String[to - from];
        for (int i = from; i < to; i++) {
            lines[i - from] = prefix + i;
        }
        append(file, lines);
    }

    @Test
    void moreFilesThanOpenSlotsAreAllReadInTurnOnceAndGoOnWhereTheyStopped() throws Exception {
        int files = 40;
        for (int f = 0; f < files; f++) {
            lines(file(f), "f" + f + " ", 0, 3);
        }
        Collector out = new Collector(1000);
        fx.start(fx.config().maxOpenFiles(4).build(), out);

        List<RawLine> first = out.take(3 * files, LONG);
        assertEachOnceInOrder(first, files, 0, 3);
        assertTrue(fx.metric(TailMetrics.FILES_WATCHED) <= 4, "at most 4 open");
        ackAll(first);
        await("every file's position saved at its end", io(() -> {
            for (int f = 0; f < files; f++) {
                if (fx.savedOffset(file(f)) != Files.size(file(f))) {
                    return false;
                }
            }
            return true;
        }));

        for (int f = 0; f < files; f++) {
            lines(file(f), "f" + f + " ", 3, 5);
        }
        List<RawLine> second = out.take(2 * files, LONG);
        assertEachOnceInOrder(second, files, 3, 5);
        out.expectNothing(Duration.ofMillis(200));
        assertTrue(fx.metric(TailMetrics.FILES_WAITING) >= files - 4, "the rest wait for their turn");
    }

    @Test
    void aFileRotatedWhileWaitingForItsTurnIsReadToItsEnd() throws Exception {
        lines(file(0), "f0 ", 0, 2);
        lines(file(1), "f1 ", 0, 2);
        lines(file(2), "f2 ", 0, 2);
        Collector out = new Collector(1000);
        fx.start(fx.config().maxOpenFiles(1).rotateWait(Duration.ofSeconds(2)).build(), out);
        assertEquals(6, out.take(6, LONG).size());
        await("two files waiting", () -> fx.metric(TailMetrics.FILES_WAITING) == 2.0);

        // Each rotated by rename while it may be closed: the rest goes to the old inode, new lines to a new file.
        for (int f = 0; f < 3; f++) {
            lines(file(f), "f" + f + " ", 2, 3);
            Path rotated = fx.logs.resolve("f" + f + ".log.1");
            Files.move(file(f), rotated);
            lines(rotated, "f" + f + " ", 3, 4);
            lines(file(f), "f" + f + " ", 4, 5);
        }

        List<RawLine> rest = out.take(9, LONG);
        for (int f = 0; f < 3; f++) {
            String prefix = "f" + f + " ";
            assertEquals(List.of(prefix + 2, prefix + 3, prefix + 4),
                    texts(rest).stream().filter(t -> t.startsWith(prefix)).toList(), "in order, nothing lost");
        }
    }

    @Test
    void aFileCopiedAndTruncatedWhileWaitingIsReadOnFromItsCopy() throws Exception {
        lines(file(0), "f0 ", 0, 40);
        lines(file(1), "f1 ", 0, 2);
        Collector out = new Collector(1000);
        fx.start(fx.config().maxOpenFiles(1).build(), out);
        assertEquals(42, out.take(42, LONG).size());
        await("one file waiting", () -> fx.metric(TailMetrics.FILES_WAITING) == 1.0);

        // copytruncate of both: written, copied, truncated, written again.
        for (int f = 0; f < 2; f++) {
            int from = f == 0 ? 40 : 2;
            lines(file(f), "f" + f + " ", from, from + 2);
            Files.copy(file(f), fx.logs.resolve("f" + f + ".log.1"));
            Files.write(file(f), new byte[0]);
            lines(file(f), "f" + f + " new ", 0, 1);
        }

        List<String> rest = texts(out.take(6, LONG));
        assertEquals(new TreeSet<>(List.of("f0 40", "f0 41", "f0 new 0", "f1 2", "f1 3", "f1 new 0")),
                new TreeSet<>(rest), "the copy's rest, then the truncated file from its start");
        out.expectNothing(Duration.ofMillis(200));
    }

    @Test
    void filesLeftWaitingForLongerThanTheStuckTimeoutMakeTheTailerStuck() throws Exception {
        lines(file(0), "f0 ", 0, 1);
        Collector out = new Collector(1000);
        Tailer tailer = fx.start(fx.config().maxOpenFiles(1).rotateWait(Duration.ofHours(1))
                .stuckTimeout(Duration.ofMillis(300)).build(), out);
        assertEquals(List.of("f0 0"), texts(out.take(1, LONG)));

        // Rotated away, f0's old file stays open for logs.rotateWait and cannot give its place: f1 waits.
        Files.move(file(0), fx.logs.resolve("f0.log.1"));
        lines(file(1), "f1 ", 0, 1);

        await("stuck: starved", () -> tailer.stuckReason().isPresent());
        assertTrue(tailer.stuckReason().get().contains("logs.maxOpenFiles"), tailer.stuckReason().get());
        assertEquals(1.0, fx.registry.get(TailMetrics.TAILER_STUCK).tag("reason", "starved").counter().count());
    }
}

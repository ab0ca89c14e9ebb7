package io.vedetta.logs.tail;

import static io.vedetta.logs.tail.Collector.texts;
import static io.vedetta.logs.tail.TailFixture.WAIT;
import static io.vedetta.logs.tail.TailFixture.append;
import static io.vedetta.logs.tail.TailFixture.await;
import static io.vedetta.logs.tail.TailFixture.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an unfriendly neighbour can put in the log tree, on real files: FIFOs, devices and sockets (an open of a
 * FIFO waits for a writer for ever), links leading anywhere on the node, and calls that block. None of it is read,
 * each is counted once, and the files beside them are read on.
 */
class HostileFilesTest {

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

    private double refused(String reason) {
        return fx.registry.get(TailMetrics.FILES_REFUSED).tag("reason", reason).counter().count();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Test
    void aFifoNamedLikeTheRotatedCopyIsRefusedAndReadingGoesOn() throws Exception {
        Path log = fx.logs.resolve("app.log");
        append(log, numbered("before-", 0, 3));
        run("mkfifo", fx.logs.resolve("app.log.1").toString());
        Collector out = new Collector(100);
        fx.start(fx.config().build(), out);
        assertEquals(List.of("before-0", "before-1", "before-2"), texts(out.take(3, WAIT)));

        // A copytruncate: the tailer looks for the copy among the longer names, and finds the FIFO first.
        Files.write(log, new byte[0]);
        append(log, "after-0", "after-1");

        assertEquals(List.of("after-0", "after-1"), texts(out.take(2, WAIT)));
        assertEquals(1.0, refused(LogFileOpener.NOT_REGULAR));
    }

    @Test
    void fifosDevicesAndSocketsAreRefusedOnceEachHoweverOftenTheyAreFound() throws Exception {
        run("mkfifo", fx.logs.resolve("fifo.log").toString());
        run("mknod", fx.logs.resolve("device.log").toString(), "c", "1", "3");
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(fx.logs.resolve("socket.log")));
            append(fx.logs.resolve("app.log"), "regular");
            Collector out = new Collector(100);
            fx.start(fx.config().rescanInterval(Duration.ofMillis(20)).build(), out);

            assertEquals(List.of("regular"), texts(out.take(1, WAIT)));
            await("all three refused", () -> refused(LogFileOpener.NOT_REGULAR) == 3.0);
            // New files are only read after scans that list the refused ones again.
            for (int i = 0; i < 3; i++) {
                append(fx.logs.resolve("later-" + i + ".log"), "later " + i);
                assertEquals(List.of("later " + i), texts(out.take(1, WAIT)));
            }
            assertEquals(3.0, refused(LogFileOpener.NOT_REGULAR), "counted once per file, not per scan");
        }
    }

    @Test
    void aLinkLeadingOutOfTheAllowedRootsIsRefused() throws Exception {
        Path secret = Files.createDirectories(dir.resolve("etc")).resolve("shadow");
        Files.writeString(secret, "root:$6$secret\n");
        Path pod = Files.createDirectories(dir.resolve("pods/shop_web_1/app")).resolve("0.log");
        append(pod, "a container's line");
        Files.createSymbolicLink(fx.logs.resolve("evil.log"), secret);
        Files.createSymbolicLink(fx.logs.resolve("web_shop_app-1.log"), pod);
        Collector out = new Collector(100);
        fx.start(fx.config().allowedRoots(List.of(fx.logs, dir.resolve("pods"))).build(), out);

        assertEquals(List.of("a container's line"), texts(out.take(1, WAIT)));
        await("the link out refused", () -> refused(LogFileOpener.OUTSIDE_ROOTS) == 1.0);
        out.expectNothing(Duration.ofMillis(200));
    }

    @Test
    void aChainOfLinksIsJudgedWhereItEnds() throws Exception {
        Path json = Files.createDirectories(dir.resolve("docker/abc")).resolve("abc-json.log");
        append(json, "{\"log\":\"docker line\\n\"}");
        Path podLog = Files.createDirectories(dir.resolve("pods/shop_web_1/app")).resolve("0.log");
        Files.createSymbolicLink(podLog, json);
        Files.createSymbolicLink(fx.logs.resolve("web_shop_app-abc.log"), podLog);
        Collector out = new Collector(100);

        Tailer withoutDocker = fx.start(fx.config().allowedRoots(List.of(fx.logs, dir.resolve("pods"))).build(), out);
        await("refused: the last link leads out of the roots", () -> refused(LogFileOpener.OUTSIDE_ROOTS) == 1.0);
        out.expectNothing(Duration.ofMillis(100));
        withoutDocker.close();

        fx.start(fx.config().allowedRoots(List.of(fx.logs, dir.resolve("pods"), dir.resolve("docker"))).build(), out);
        assertEquals(List.of("{\"log\":\"docker line\\n\"}"), texts(out.take(1, WAIT)));
    }

    @Test
    void theAllowedRootsAreJudgedAfterTheirOwnLinks() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("data/logs"));
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("varlog"), disk);
        append(disk.resolve("app.log"), "on the data disk");
        Collector out = new Collector(100);
        fx.start(fx.config().paths(List.of(disk + "/*.log")).allowedRoots(List.of(linkedRoot)).build(), out);

        assertEquals(List.of("on the data disk"), texts(out.take(1, WAIT)), "the root is where its link leads");
    }

    @Test
    void aReaderBlockedInOneCallIsStuckUntilItMovesAgainAndCloseDoesNotWaitForIt() throws Exception {
        append(fx.logs.resolve("app.log"), "one", "two");
        CountDownLatch release = new CountDownLatch(1);
        LineConsumer blocking = (line, timeout, unit) -> {
            release.await();
            return true;
        };
        Tailer tailer = fx.start(fx.config().stuckTimeout(Duration.ofMillis(300)).build(), blocking);

        await("stuck while blocked", () -> tailer.stuckReason().isPresent());
        assertTrue(tailer.stuckReason().get().contains("reading " + fx.logs.resolve("app.log")),
                tailer.stuckReason().get());
        assertEquals(1.0, fx.registry.get(TailMetrics.TAILER_STUCK).tag("reason", "blocked").counter().count());
        release.countDown();
        await("moving again", () -> tailer.stuckReason().isEmpty());

        CountDownLatch forever = new CountDownLatch(1);
        append(fx.logs.resolve("other.log"), "three");
        // Blocked as in a kernel call, which an interrupt does not end either: close interrupts the reader it gives up
        // on, and a reader that returned would write its positions while JUnit deletes the temporary directory.
        Tailer wedged = fx.start(fx.config().stuckTimeout(Duration.ofMillis(300)).build(), (line, timeout, unit) -> {
            while (true) {
                try {
                    forever.await();
                } catch (InterruptedException e) {
                    // stays blocked
                }
            }
        });
        await("the second one stuck", () -> wedged.stuckReason().isPresent());
        long begin = System.nanoTime();
        wedged.close(Duration.ofSeconds(60));
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin) < 60,
                "close gave up on the blocked reader instead of waiting out its whole drain time");
        // Left blocked until the JVM exits.
    }
}

package io.vedetta.logs.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.RoutingKey;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.testing.Await;
import io.vedetta.time.ManualTicker;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that is full when the buffer starts a new spill segment: the buffer waits rather than refuse or lose
 * anything, and resumes by itself once space is freed, without a restart. The state directory is a real 256 KiB
 * tmpfs the test mounts (the tests run as root) and unmounts.
 */
class SpillDiskFullTest {

    private static final Duration MAX_BACKOFF = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private Path state;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualTicker ticker = new ManualTicker();
    private final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    private final List<String> sent = new ArrayList<>();

    @BeforeEach
    void mountASmallTmpfs() throws Exception {
        state = Files.createDirectories(dir.resolve("state"));
        run("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "vedetta-spill-test", state.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        if (exec("umount", state.toString()) != 0) {
            // Still busy: detach it now rather than leave a mount behind, and say so.
            run("umount", "--lazy", state.toString());
            throw new AssertionError(state + " was still in use when the test ended");
        }
    }

    @Test
    void aDiskFullWhenANewSegmentStartsMakesTheSenderWaitUntilSpaceIsFreedAndLosesNothing() throws Exception {
        ControllableSink inner = new ControllableSink(ControllableSink.Mode.FAIL);
        Path buffer = state.resolve("buffer");
        try (SpillingSink sink = new SpillingSink(inner, new BufferConfig(buffer, 1, 1 << 20, 100_000, 1, MAX_BACKOFF,
                Duration.ofMillis(300), BufferConfig.Acknowledge.DELIVERED), registry, ticker)) {
            Path filler = fill(state);
            assertTrue(sink.send(batch(10)).isDone(), "the first batch goes straight through");
            Await.until("the sink failed a batch", () -> counter(BufferMetrics.RETRIES) >= 1);
            assertTrue(sink.send(batch(10)).isDone(), "an empty memory takes a batch over its limit");
            CompletableFuture<Void> waiting = sink.send(batch(10));

            assertFalse(waiting.isDone(), "neither memory nor the full disk can take it: the sender waits");
            assertEquals(1.0, gauge(BufferMetrics.FULL));
            assertTrue(writeErrors() >= 1, "the failed segment write is counted");
            assertEquals(List.of(), segments(buffer), "a segment whose header could not be written is deleted again");

            double errors = writeErrors();
            ticker.advance(MAX_BACKOFF);
            // The retry is counted before the waiting batch tries the disk again, on the buffer's own thread.
            Await.until("a retry, which tries the disk again and finds it still full",
                    () -> counter(BufferMetrics.RETRIES) >= 2 && writeErrors() > errors);
            assertFalse(waiting.isDone());

            Files.delete(filler);
            ticker.advance(MAX_BACKOFF);
            Await.until("the waiting batch spilled at the next try", waiting::isDone);
            assertEquals(10.0, counter(BufferMetrics.SPILLED));
            assertEquals(1, segments(buffer).size());
            assertEquals(0.0, gauge(BufferMetrics.FULL));

            inner.mode(ControllableSink.Mode.DELIVER);
            ticker.advance(MAX_BACKOFF);
            Await.until("every record delivered", () -> acked.size() == sent.size());
            assertEquals(sent, inner.ids(), "each once, in order");
        }
    }

    /** Fills the file system of {@code dir} to the last byte; returns the file that does. */
    private static Path fill(Path dir) throws IOException {
        Path filler = dir.resolve("filler");
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            while (true) {
                block.clear();
                channel.write(block);
            }
        } catch (IOException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("No space left"), "filled up: " + e);
        }
        return filler;
    }

    private List<SinkRecord> batch(int size) {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = String.format("rec-%05d", sent.size());
            sent.add(id);
            byte[] json = ("{\"log\":\"" + id + " " + "x".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8);
            records.add(new SinkRecord(RecordId.of(id), Document.ofJson(json, new RoutingKey("ns", "", i)),
                    () -> acked.add(id)));
        }
        return records;
    }

    private static List<Path> segments(Path buffer) throws IOException {
        try (Stream<Path> files = Files.list(buffer)) {
            return files.filter(f -> f.toString().endsWith(".vbuf")).toList();
        }
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private double writeErrors() {
        return registry.get(BufferMetrics.ERRORS).tag("op", "write").counter().count();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + " failed (the buffer's disk-full test needs"
                + " root to mount a tmpfs): " + output);
    }

    private static int exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }
}

package io.vedetta.logs.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.sink.FileSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.vedetta.logs.tail.TailFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A writer produces lines while the file is rotated under it, alternately by rename and by copytruncate, and
 * the tailer feeds a file sink through a small queue: every line must come out exactly once, in order.
 */
class TailerStressTest {

    private static final int LINES = 100_000;
    private static final int LINES_PER_FILE = 5_000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void deliversEveryLineExactlyOnceInOrderAcrossRotations() throws Exception {
        TailFixture fx = new TailFixture(tmp);
        Path log = fx.logs.resolve("app.log");
        Path shipped = tmp.resolve("shipped.ndjson");
        BlockingQueue<RawLine> queue = new ArrayBlockingQueue<>(256);
        AtomicLong lastShipped = new AtomicLong(-1);
        AtomicBoolean shipping = new AtomicBoolean(true);
        FileSink sink = FileSink.appendingTo(shipped, new SimpleMeterRegistry());
        Thread shipper = new Thread(() -> ship(queue, sink, lastShipped, shipping), "shipper");

        int rotations = 0;
        try (fx; sink) {
            OutputStream writer = new FileOutputStream(log.toFile(), true);
            fx.start(fx.config().rotateWait(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(10)).build(),
                    queue::offer);
            shipper.start();
            for (int i = 0; i < LINES; i++) {
                byte[] line = ("line-" + i + " " + "p".repeat(i % 97) + "\n").getBytes(StandardCharsets.UTF_8);
                // Some lines reach the file in two writes, so the reader also meets half-written lines.
                int cut = i % 7 == 0 ? line.length / 2 : line.length;
                writer.write(line, 0, cut);
                writer.flush();
                writer.write(line, cut, line.length - cut);
                writer.flush();
                if ((i + 1) % LINES_PER_FILE == 0 && i + 1 < LINES) {
                    // Rotations are far apart in real life (the kubelet checks every 10 s); here they wait only
                    // until the tailer has started on the current file.
                    long firstOfFile = i + 1 - LINES_PER_FILE;
                    await("line " + firstOfFile + " shipped", () -> lastShipped.get() >= firstOfFile);
                    rotations++;
                    Path rotated = fx.logs.resolve("app.log." + rotations);
                    if (rotations % 2 == 1) {
                        writer.close();
                        Files.move(log, rotated);
                        writer = new FileOutputStream(log.toFile(), true);
                    } else {
                        Files.copy(log, rotated);
                        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                            ch.truncate(0);
                        }
                    }
                }
            }
            writer.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (lastShipped.get() < LINES - 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            shipping.set(false);
            shipper.join();

            List<String> got = messages(shipped, false);
            assertSameLines(expected(LINES), got);
            assertEquals(rotations, (int) fx.metric(TailMetrics.FILES_ROTATED));
        }
    }

    @Test
    @Timeout(120)
    void losesNothingWhenRestartedDuringRenameRotations() throws Exception {
        int lines = 30_000;
        TailFixture fx = new TailFixture(tmp);
        Path log = fx.logs.resolve("app.log");
        Path shipped = tmp.resolve("shipped.ndjson");
        BlockingQueue<RawLine> queue = new ArrayBlockingQueue<>(256);
        AtomicLong lastShipped = new AtomicLong(-1);
        AtomicBoolean shipping = new AtomicBoolean(true);
        FileSink sink = FileSink.appendingTo(shipped, new SimpleMeterRegistry());
        Thread shipper = new Thread(() -> ship(queue, sink, lastShipped, shipping), "shipper");
        TailConfig config = fx.config().rotateWait(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(10)).build();

        try (fx; sink) {
            OutputStream writer = new FileOutputStream(log.toFile(), true);
            Tailer tailer = fx.start(config, queue::offer);
            shipper.start();
            int rotations = 0;
            for (int i = 0; i < lines; i++) {
                writer.write(("line-" + i + " " + "p".repeat(i % 97) + "\n").getBytes(StandardCharsets.UTF_8));
                writer.flush();
                if ((i + 1) % 3_000 == 0) {
                    long firstOfFile = i + 1 - 3_000;
                    await("line " + firstOfFile + " shipped", () -> lastShipped.get() >= firstOfFile);
                    rotations++;
                    writer.close();
                    Files.move(log, fx.logs.resolve("app.log." + rotations));
                    writer = new FileOutputStream(log.toFile(), true);
                }
                // Restarts land anywhere: mid-file, right after a rotation, with lines still in flight.
                if (i % 7_001 == 7_000 || i == 8_999) {
                    tailer.close();
                    tailer = fx.start(config, queue::offer);
                }
            }
            writer.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (lastShipped.get() < lines - 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            shipping.set(false);
            shipper.join();

            List<String> firstSeen = messages(shipped, true);
            // Every line, in order, once its re-sends are dropped by id.
            assertSameLines(expected(lines), firstSeen);
        }
    }

    /** Names the first line that differs instead of printing tens of thousands of them. */
    private static void assertSameLines(List<String> expected, List<String> got) {
        for (int i = 0; i < Math.min(expected.size(), got.size()); i++) {
            assertEquals(expected.get(i), got.get(i), "line " + i + " of " + got.size() + " shipped");
        }
        assertEquals(expected.size(), got.size(), "lines shipped");
    }

    private static List<String> expected(int count) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add("line-" + i + " " + "p".repeat(i % 97));
        }
        return expected;
    }

    /**
     * The shipped messages in order; with {@code dropResends}, a record whose id was already shipped is left
     * out (as Elasticsearch's {@code create} would), after checking that it is the same line.
     */
    private static List<String> messages(Path shipped, boolean dropResends) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> byId = new HashMap<>();
        List<String> messages = new ArrayList<>();
        for (String line : Files.readAllLines(shipped)) {
            JsonNode doc = json.readTree(line);
            String message = doc.path("message").asText();
            String before = byId.putIfAbsent(doc.path("id").asText(), message);
            if (before != null) {
                assertEquals(before, message, "one id, one line");
                if (dropResends) {
                    continue;
                }
            }
            messages.add(message);
        }
        return messages;
    }

    private static void ship(BlockingQueue<RawLine> queue, FileSink sink, AtomicLong lastShipped,
                             AtomicBoolean shipping) {
        List<RawLine> batch = new ArrayList<>();
        try {
            while (shipping.get() || !queue.isEmpty()) {
                RawLine first = queue.poll(10, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 199);
                List<SinkRecord> records = new ArrayList<>();
                for (RawLine line : batch) {
                    String text = new String(line.bytes(), StandardCharsets.UTF_8);
                    Document doc = g -> {
                        g.writeStartObject();
                        g.writeStringField("id", line.id().toString());
                        g.writeStringField("message", text);
                        g.writeEndObject();
                    };
                    records.add(new SinkRecord(line.id(), doc, line.ack()));
                }
                sink.send(records).join();
                String last = new String(batch.get(batch.size() - 1).bytes(), StandardCharsets.UTF_8);
                long shippedNumber = Long.parseLong(last.substring(5, last.indexOf(' ')));
                lastShipped.accumulateAndGet(shippedNumber, Math::max);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

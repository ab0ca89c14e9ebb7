package io.vedetta.logs.tail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.sink.Document;
import io.vedetta.logs.sink.FileSink;
import io.vedetta.logs.sink.SinkRecord;
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
import java.util.List;
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

            List<String> got = Files.readAllLines(shipped);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < LINES; i++) {
                expected.add("{\"message\":\"line-" + i + " " + "p".repeat(i % 97) + "\"}");
            }
            assertEquals(expected.size(), got.size(), "lines shipped");
            assertEquals(expected, got);
            assertEquals(rotations, (int) fx.metric(TailMetrics.FILES_ROTATED));
        }
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
                        g.writeStringField("message", text);
                        g.writeEndObject();
                    };
                    records.add(new SinkRecord(line.id(), doc, line.ack()));
                }
                sink.send(records).join();
                String last = new String(batch.get(batch.size() - 1).bytes(), StandardCharsets.UTF_8);
                lastShipped.set(Long.parseLong(last.substring(5, last.indexOf(' '))));
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

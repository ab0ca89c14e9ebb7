package io.vedetta.logs.tail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** The next stage as the tests see it: a bounded queue the tailer offers to, drained by the test thread. */
final class Collector implements LineConsumer {

    private final BlockingQueue<RawLine> queue;

    Collector(int capacity) {
        queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public boolean offer(RawLine line, long timeout, TimeUnit unit) throws InterruptedException {
        return queue.offer(line, timeout, unit);
    }

    int size() {
        return queue.size();
    }

    /** Takes exactly {@code count} lines, failing if they do not all arrive within {@code within}. */
    List<RawLine> take(int count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<RawLine> lines = new ArrayList<>();
        while (lines.size() < count) {
            RawLine line = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail("got " + lines.size() + " of " + count + " lines within " + within + ": " + texts(lines));
            }
            lines.add(line);
        }
        return lines;
    }

    /** Fails if any line arrives within {@code during}. */
    void expectNothing(Duration during) throws InterruptedException {
        RawLine line = queue.poll(during.toMillis(), TimeUnit.MILLISECONDS);
        if (line != null) {
            fail("unexpected line " + text(line));
        }
    }

    static String text(RawLine line) {
        return new String(line.bytes(), StandardCharsets.UTF_8);
    }

    static List<String> texts(List<RawLine> lines) {
        return lines.stream().map(Collector::text).toList();
    }

    static void ackAll(List<RawLine> lines) {
        lines.forEach(l -> l.ack().acknowledge());
    }
}

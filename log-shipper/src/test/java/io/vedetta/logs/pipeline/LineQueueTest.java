package io.vedetta.logs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.logs.tail.FileKey;
import io.vedetta.logs.tail.RawLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LineQueueTest {

    private static RawLine line(int bytes) {
        return new RawLine(new FileKey(1, 2), Path.of("/a.log"), 0, bytes, new byte[bytes], "p-", () -> { });
    }

    @Test
    void holdsLinesUpToItsByteBoundAndALongerLineAlone() throws Exception {
        LineQueue queue = new LineQueue(100, 1000);

        assertTrue(queue.offer(line(600), 0, TimeUnit.MILLISECONDS));
        assertTrue(queue.offer(line(400), 0, TimeUnit.MILLISECONDS));
        assertFalse(queue.offer(line(1), 10, TimeUnit.MILLISECONDS), "1000 bytes queued: full");
        assertEquals(1000, queue.bytes());

        List<RawLine> taken = new ArrayList<>();
        assertEquals(2, queue.drainTo(taken, 10));
        RawLine huge = line(5000);
        assertTrue(queue.offer(huge, 0, TimeUnit.MILLISECONDS), "longer than the bound, into an empty queue");
        assertFalse(queue.offer(line(1), 10, TimeUnit.MILLISECONDS), "and alone");
        assertSame(huge, queue.poll(0, TimeUnit.MILLISECONDS));
        assertEquals(0, queue.bytes());
    }

    @Test
    void holdsLinesUpToItsLineBound() throws Exception {
        LineQueue queue = new LineQueue(2, 1 << 20);

        assertTrue(queue.offer(line(1), 0, TimeUnit.MILLISECONDS));
        assertTrue(queue.offer(line(1), 0, TimeUnit.MILLISECONDS));
        assertFalse(queue.offer(line(1), 10, TimeUnit.MILLISECONDS));
        queue.poll(0, TimeUnit.MILLISECONDS);
        assertTrue(queue.offer(line(1), 0, TimeUnit.MILLISECONDS), "room again");
    }

    @Test
    void aWaitingOfferGoesInOnceRoomIsMade() throws Exception {
        LineQueue queue = new LineQueue(100, 10);
        queue.offer(line(10), 0, TimeUnit.MILLISECONDS);
        Thread taker = new Thread(() -> {
            try {
                queue.poll(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        taker.start();

        assertTrue(queue.offer(line(10), 10, TimeUnit.SECONDS));
        taker.join();
    }
}

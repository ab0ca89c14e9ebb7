package io.vedetta.logs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.record.Acknowledgement;
import io.vedetta.logs.tail.FileKey;
import io.vedetta.logs.tail.RawLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawLineAcksTest {

    private final Counter acknowledged = new SimpleMeterRegistry().counter("acknowledged");
    private final RawLineAcks acks = new RawLineAcks(acknowledged);
    /** End offsets of the lines acknowledged to the tailer, in the order it heard of them. */
    private final List<Long> committedLines = new ArrayList<>();

    private void line(long start, long end) {
        acks.add(new RawLine(new FileKey(1, 2), Path.of("a.log"), start, end, new byte[0],
                "1-2-f00-", () -> committedLines.add(end)));
    }

    @Test
    void linesAreAcknowledgedOnlyOnceEveryEarlierRecordIsDelivered() {
        line(0, 10);
        line(10, 20);
        line(20, 30);
        Acknowledgement first = acks.register(10);
        Acknowledgement second = acks.register(20);
        Acknowledgement third = acks.register(30);

        third.acknowledge();
        second.acknowledge();
        assertEquals(List.of(), committedLines);
        first.acknowledge();
        assertEquals(List.of(10L, 20L, 30L), committedLines);
        assertTrue(acks.idle());
        assertEquals(3, acknowledged.count());
    }

    @Test
    void aRecordThatMayNotCommitItsLinesYetHoldsThemBack() {
        line(0, 10);
        line(10, 20);
        // A partial line still merging: the record of the second line may commit only up to 0.
        Acknowledgement held = acks.register(0);
        held.acknowledge();
        assertEquals(List.of(), committedLines);
        acks.register(20).acknowledge();
        assertEquals(List.of(10L, 20L), committedLines);
    }

    @Test
    void acknowledgingTwiceCountsOnce() {
        line(0, 10);
        line(10, 20);
        Acknowledgement first = acks.register(10);
        Acknowledgement second = acks.register(20);
        second.acknowledge();
        second.acknowledge();
        assertEquals(List.of(), committedLines);
        first.acknowledge();
        first.acknowledge();
        assertEquals(List.of(10L, 20L), committedLines);
        assertEquals(2, acknowledged.count());
    }

    @Test
    void idsNameTheLineAndTheOffsetIntoIt() {
        line(0, 10);
        line(10, 5000);
        line(5000, 5010);
        assertEquals("1-2-f00-0", acks.idOf(0).toString());
        assertEquals("1-2-f00-a", acks.idOf(10).toString());
        assertEquals("1-2-f00-a+800", acks.idOf(10 + 0x800).toString());
        assertEquals("1-2-f00-1388", acks.idOf(5000).toString());
    }

    @Test
    void manyLinesAcknowledgedInAnyOrderCommitEachLineOnceInOrder() {
        Random random = new Random(7);
        List<Acknowledgement> records = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < 20_000; i++) {
            long end = offset + 1 + random.nextInt(300);
            line(offset, end);
            assertEquals("1-2-f00-" + Long.toHexString(offset), acks.idOf(offset).toString());
            records.add(acks.register(end));
            ends.add(end);
            offset = end;
            if (i % 1000 == 999) {
                // Acknowledge some while more come in, so the rings wrap around.
                List<Acknowledgement> some = new ArrayList<>(records.subList(0, 700));
                records.subList(0, 700).clear();
                Collections.shuffle(some, random);
                some.forEach(Acknowledgement::acknowledge);
            }
        }
        assertFalse(acks.idle());
        Collections.shuffle(records, random);
        records.forEach(Acknowledgement::acknowledge);
        assertEquals(ends, committedLines);
        assertTrue(acks.idle());
        assertEquals(20_000, acknowledged.count());
    }

    @Test
    void excludedLinesAreAllAcknowledged() {
        line(0, 10);
        line(10, 20);
        acks.acknowledgeAll();
        assertEquals(List.of(10L, 20L), committedLines);
        assertTrue(acks.idle());
    }
}

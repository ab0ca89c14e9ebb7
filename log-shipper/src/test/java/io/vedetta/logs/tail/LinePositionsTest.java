package io.vedetta.logs.tail;

import io.vedetta.logs.record.Acknowledgement;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinePositionsTest {

    private final List<Position> commits = new CopyOnWriteArrayList<>();
    private final LinePositions positions = new LinePositions(Position.START, this::committed);

    private void committed() {
        commits.add(positions.committed());
    }

    @Test
    void commitsOnlyTheLongestAcknowledgedPrefix() {
        List<Acknowledgement> acks = new ArrayList<>();
        for (long end = 10; end <= 50; end += 10) {
            acks.add(positions.register(end, end * 7));
        }

        acks.get(1).acknowledge();
        acks.get(4).acknowledge();
        assertEquals(List.of(), commits);

        acks.get(0).acknowledge();
        assertEquals(List.of(new Position(20, 20, 140)), commits);

        acks.get(3).acknowledge();
        acks.get(2).acknowledge();
        assertEquals(List.of(new Position(20, 20, 140), new Position(50, 50, 350)), commits);
        assertEquals(0, positions.pending());
    }

    @Test
    void startsCommittedAtTheGivenPosition() {
        LinePositions resumed = new LinePositions(new Position(500, 64, 9), () -> { });
        resumed.register(600, 10);

        assertEquals(new Position(500, 64, 9), resumed.committed());
    }

    @Test
    void aCommittedPositionHashesAtMostTheTailBytesBeforeIt() {
        positions.register(1000, 42).acknowledge();

        assertEquals(List.of(new Position(1000, TailedFile.TAIL_BYTES, 42)), commits);
    }

    @Test
    void ignoresASecondAcknowledgementOfTheSameLine() {
        Acknowledgement first = positions.register(1, 1);
        Acknowledgement second = positions.register(2, 2);
        positions.register(3, 3);

        first.acknowledge();
        first.acknowledge();
        second.acknowledge();
        second.acknowledge();

        assertEquals(List.of(new Position(1, 1, 1), new Position(2, 2, 2)), commits);
        assertEquals(1, positions.pending());
    }

    @Test
    void commitsInOrderWhenAcknowledgedFromManyThreadsPastItsInitialSize() throws Exception {
        List<Acknowledgement> acks = new ArrayList<>();
        for (long end = 1; end <= 10_000; end++) {
            acks.add(positions.register(end, -end));
        }
        Collections.shuffle(acks, new Random(42));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        acks.forEach(a -> pool.execute(a::acknowledge));
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));

        assertEquals(new Position(10_000, TailedFile.TAIL_BYTES, -10_000), commits.get(commits.size() - 1));
        for (int i = 1; i < commits.size(); i++) {
            assertTrue(commits.get(i).offset() > commits.get(i - 1).offset(), "commits go forward only");
        }
        assertEquals(0, positions.pending());
    }

    @Test
    void keepsOrderWhenRegisteringWhileTheRingWraps() {
        List<Acknowledgement> window = new ArrayList<>();
        long end = 0;
        for (int round = 0; round < 1000; round++) {
            window.add(positions.register(++end, end));
            window.add(positions.register(++end, end));
            window.remove(0).acknowledge();
        }
        assertEquals(end / 2, commits.get(commits.size() - 1).offset());
        window.forEach(Acknowledgement::acknowledge);
        assertEquals(end, commits.get(commits.size() - 1).offset());
    }
}

package io.vedetta.agent.cluster.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vedetta.logs.record.Acknowledgement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CheckpointsTest {

    @Test
    void movesOnlyPastWhatIsAcknowledgedInOrder() {
        Checkpoints c = new Checkpoints(Optional.of("10"));
        Acknowledgement a = c.record("11");
        Acknowledgement b = c.record("12");
        Acknowledgement d = c.record("13");

        d.acknowledge();
        b.acknowledge();
        assertEquals(Optional.of("10"), c.acknowledged(), "11 is not delivered yet");
        a.acknowledge();
        assertEquals(Optional.of("13"), c.acknowledged());
        assertEquals(0, c.pending());
    }

    @Test
    void aListsVersionCountsOnceAllItsItemsAreDelivered() {
        Checkpoints c = new Checkpoints(Optional.empty());
        Acknowledgement first = c.record(null);
        Acknowledgement second = c.record(null);
        c.version("500");
        assertEquals(Optional.empty(), c.acknowledged());
        second.acknowledge();
        first.acknowledge();
        assertEquals(Optional.of("500"), c.acknowledged());
        c.version("520");
        assertEquals(Optional.of("520"), c.acknowledged(), "a bookmark with nothing before it moves at once");
    }

    /** Whatever order acknowledgements come in, the checkpoint is the last version with everything before done. */
    @Test
    void neverPassesAnUnacknowledgedRecord() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            Checkpoints c = new Checkpoints(Optional.empty());
            List<Acknowledgement> acks = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                acks.add(c.record(String.valueOf(i)));
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            boolean[] done = new boolean[50];
            for (int i : order) {
                acks.get(i).acknowledge();
                done[i] = true;
                int reached = 0;
                while (reached < 50 && done[reached]) {
                    reached++;
                }
                assertEquals(reached == 0 ? Optional.empty() : Optional.of(String.valueOf(reached)), c.acknowledged());
            }
        }
    }
}

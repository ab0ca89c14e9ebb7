package io.vedetta.logs.buffer;

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

class OrderedFinalizerTest {

    @Test
    void commitsOnlyTheLongestAcknowledgedPrefix() {
        List<Long> commits = new ArrayList<>();
        OrderedFinalizer<Long> finalizer = new OrderedFinalizer<>(commits::add);
        List<Acknowledgement> acks = new ArrayList<>();
        for (long end = 10; end <= 50; end += 10) {
            acks.add(finalizer.register(end));
        }

        acks.get(1).acknowledge();
        acks.get(4).acknowledge();
        assertEquals(List.of(), commits);

        acks.get(0).acknowledge();
        assertEquals(List.of(20L), commits);

        acks.get(3).acknowledge();
        acks.get(2).acknowledge();
        assertEquals(List.of(20L, 50L), commits);
        assertEquals(0, finalizer.pending());
    }

    @Test
    void ignoresASecondAcknowledgementOfTheSameEntry() {
        List<Long> commits = new ArrayList<>();
        OrderedFinalizer<Long> finalizer = new OrderedFinalizer<>(commits::add);
        Acknowledgement first = finalizer.register(1L);
        finalizer.register(2L);

        first.acknowledge();
        first.acknowledge();

        assertEquals(List.of(1L), commits);
        assertEquals(1, finalizer.pending());
    }

    @Test
    void commitsInOrderWhenAcknowledgedFromManyThreads() throws Exception {
        List<Long> commits = new CopyOnWriteArrayList<>();
        OrderedFinalizer<Long> finalizer = new OrderedFinalizer<>(commits::add);
        List<Acknowledgement> acks = new ArrayList<>();
        for (long i = 1; i <= 10_000; i++) {
            acks.add(finalizer.register(i));
        }
        Collections.shuffle(acks, new Random(42));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        acks.forEach(a -> pool.execute(a::acknowledge));
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));

        assertEquals(10_000L, commits.get(commits.size() - 1));
        for (int i = 1; i < commits.size(); i++) {
            assertTrue(commits.get(i) > commits.get(i - 1), "commits go forward only: " + commits);
        }
    }

    @Test
    void acknowledgesEveryPartOfAMergedRecord() {
        List<Long> commits = new ArrayList<>();
        OrderedFinalizer<Long> finalizer = new OrderedFinalizer<>(commits::add);
        Acknowledgement merged = Acknowledgement.all(List.of(finalizer.register(1L), finalizer.register(2L)));

        merged.acknowledge();

        assertEquals(List.of(1L, 2L), commits);
        assertEquals(0, finalizer.pending());
    }
}

package io.vedetta.logs.buffer;

import io.vedetta.logs.record.Acknowledgement;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.SinkRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The acknowledgements the inner sink sees. Each books the delivery (the records gauge, the stall watch, the records
 * whose acknowledgement is pending) and then passes it on to the source's own acknowledgement, if the record has one:
 * replayed records and records acknowledged when stored have none. After the last record of a batch that holds room
 * in memory or on disk, that room is freed. Lock-free but for that last record, or while batches wait for room, since
 * sinks acknowledge every record and the buffer is on that path.
 */
final class Deliveries {

    private final Object lock;
    private final BufferMetrics metrics;
    private final StallWatch stall;
    private final Admission admission;

    Deliveries(Object lock, BufferMetrics metrics, StallWatch stall, Admission admission) {
        this.lock = lock;
        this.metrics = metrics;
        this.stall = stall;
        this.admission = admission;
    }

    /** A batch's records as the inner sink will see them; {@code release} runs under the lock after the last. */
    Batch batch(Runnable release) {
        return new Batch(release);
    }

    /** Whether the inner sink has acknowledged {@code record}. */
    static boolean done(SinkRecord record) {
        return ((Ack) record.ack()).done();
    }

    /** Whether {@code record} carries its source's acknowledgement, which no spill segment has acknowledged yet. */
    static boolean live(SinkRecord record) {
        return ((Ack) record.ack()).original != null;
    }

    static List<SinkRecord> undelivered(List<SinkRecord> records) {
        return records.stream().filter(r -> !done(r)).toList();
    }

    /** Counts a batch's records as they are delivered and frees its room after the last. */
    final class Batch {
        /** Null when the batch holds no room. */
        private final Runnable release;
        private final AtomicInteger remaining = new AtomicInteger();

        private Batch(Runnable release) {
            this.release = release;
        }

        /** The record the inner sink gets; {@code original} is the source's acknowledgement, or null. */
        SinkRecord wrap(RecordId id, Document document, Acknowledgement original, long readNanos) {
            remaining.incrementAndGet();
            return new SinkRecord(id, document, new Ack(this, original), readNanos);
        }
    }

    private final class Ack implements Acknowledgement {
        /** A field updater rather than an AtomicBoolean: one object less for every record that passes. */
        private static final AtomicIntegerFieldUpdater<Ack> DONE =
                AtomicIntegerFieldUpdater.newUpdater(Ack.class, "done");
        private final Batch batch;
        private final Acknowledgement original;
        private volatile int done;

        Ack(Batch batch, Acknowledgement original) {
            this.batch = batch;
            this.original = original;
        }

        boolean done() {
            return done == 1;
        }

        @Override
        public void acknowledge() {
            if (!DONE.compareAndSet(this, 0, 1)) {
                return;
            }
            metrics.records.decrementAndGet();
            stall.delivered();
            if (original != null) {
                admission.liveAckDone();
            }
            boolean freesRoom = batch.remaining.decrementAndGet() == 0 && batch.release != null;
            if (freesRoom || metrics.full.get() == 1) {
                synchronized (lock) {
                    if (freesRoom) {
                        batch.release.run();
                    } else {
                        admission.admit();
                    }
                }
            }
            // Outside the buffer's lock where possible: the source's finalizer takes its own.
            if (original != null) {
                original.acknowledge();
            }
        }
    }
}

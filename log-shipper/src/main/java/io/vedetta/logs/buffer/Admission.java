package io.vedetta.logs.buffer;

import io.vedetta.logs.record.Acknowledgement;
import io.vedetta.logs.record.SinkRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes batches into the buffer, in the order they came, while there is room. A batch held for a healthy sink goes
 * into a free slot as it is. A serialised one (the sink fails or stalls) goes into memory up to
 * {@code logs.buffer.memoryBytes}, else onto disk ({@link Spill}), else it waits; and whatever the medium, only while
 * the records whose acknowledgement is pending stay within {@code logs.buffer.maxRecords}, since each keeps its
 * file's bookkeeping on the heap. With {@code logs.buffer.acknowledge: stored}, a batch on disk is acknowledged once
 * synced, and when memory is full what waits in memory goes to disk too (see {@link #storeQueued}).
 *
 * <p>Under the buffer's lock, but for the count of pending acknowledgements. {@link #admit} is not re-entered:
 * acknowledging records while storing frees room and calls back into it.
 */
final class Admission {

    private final Object lock;
    private final BufferConfig config;
    private final BufferMetrics metrics;
    private final RetryQueue queue;
    private final Spill spill;
    private final BatchSerialiser serialiser;
    private final Deliveries deliveries;
    /** Batches not accepted yet, in the order they came: held for a slot, or serialised and waiting for room. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Records handed on whose source acknowledgement is still to come. */
    private final AtomicLong liveAcks = new AtomicLong();
    private long memoryBytes;
    private boolean admitting;
    private boolean closed;

    Admission(Object lock, BufferConfig config, BufferMetrics metrics, RetryQueue queue, Spill spill,
            BatchSerialiser serialiser, StallWatch stall) {
        this.lock = lock;
        this.config = config;
        this.metrics = metrics;
        this.queue = queue;
        this.spill = spill;
        this.serialiser = serialiser;
        this.deliveries = new Deliveries(lock, metrics, stall, this);
    }

    Deliveries deliveries() {
        return deliveries;
    }

    /** Queues a run an earlier process left, ahead of anything new. */
    void replay(SegmentFiles.Location run) {
        queue.add(spilled(queue.nextSeq(), run, null, null));
    }

    /** Whether a new batch would go straight through: nothing waits before it and a slot is free. */
    boolean slotFree() {
        return pending.isEmpty() && queue.slotFree();
    }

    /** Hands a batch on as it is, into a free slot. */
    void passThrough(List<SinkRecord> batch) {
        liveAcks.addAndGet(batch.size());
        Deliveries.Batch tracker = deliveries.batch(null);
        List<SinkRecord> records = new ArrayList<>(batch.size());
        for (SinkRecord r : batch) {
            records.add(tracker.wrap(r.id(), r.document(), r.ack(), r.readNanos()));
        }
        queue.add(new Queued.Live(queue.nextSeq(), records));
    }

    /** Holds a batch for a slot of the healthy sink; the future completes when it has one. */
    CompletableFuture<Void> hold(List<SinkRecord> batch, long now) {
        Held held = new Held(batch, now, new CompletableFuture<>());
        pending.addLast(held);
        return held.accepted;
    }

    /** Takes a serialised batch into memory or onto disk, now or when room frees up; the future says when. */
    CompletableFuture<Void> take(SerialisedBatch batch) {
        Waiting waiting = new Waiting(batch, new CompletableFuture<>());
        pending.addLast(waiting);
        admit();
        return waiting.accepted;
    }

    /** The oldest batch held for a slot, when it is the oldest of all; null otherwise. */
    Held oldestHeld() {
        return pending.peekFirst() instanceof Held held ? held : null;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * The inner sink failed or stalled: batches held for a slot are serialised in their place, so that they take
     * memory or disk like every batch after them and their senders go on reading.
     */
    void stopHolding() {
        for (int i = pending.size(); i > 0; i--) {
            Pending next = pending.pollFirst();
            if (next instanceof Held held) {
                SerialisedBatch serialised = serialiser.serialise(held.batch);
                metrics.records.addAndGet(serialised.size() - held.batch.size());
                next = new Waiting(serialised, held.accepted);
            }
            pending.addLast(next);
        }
        admit();
    }

    /** Accepts pending batches, in order, while there is room. */
    void admit() {
        if (admitting) {
            return;
        }
        admitting = true;
        try {
            Pending next;
            while ((next = pending.peekFirst()) != null && !closed && admitOne(next)) {
                pending.pollFirst();
                next.accepted.complete(null);
                lock.notifyAll();
            }
        } finally {
            admitting = false;
        }
        metrics.full.set(pending.peekFirst() instanceof Waiting ? 1 : 0);
        metrics.memoryBytes.set(memoryBytes);
        metrics.diskBytes.set(spill.bytes());
    }

    /** Closes admission: the batches not accepted yet are handed back, to be refused. */
    List<Pending> close() {
        closed = true;
        List<Pending> refused = new ArrayList<>(pending);
        refused.forEach(p -> metrics.records.addAndGet(-p.records()));
        pending.clear();
        metrics.full.set(0);
        return refused;
    }

    /** One pending acknowledgement less (called by {@link Deliveries}, without the lock). */
    void liveAckDone() {
        liveAcks.decrementAndGet();
    }

    private boolean admitOne(Pending next) {
        if (next instanceof Held held) {
            if (!queue.slotFree()) {
                return false;
            }
            passThrough(held.batch);
            return true;
        }
        return admitSerialised(((Waiting) next).batch);
    }

    private boolean admitSerialised(SerialisedBatch next) {
        if (next.isEmpty()) {
            // Every document of a held batch was broken: dropped and acknowledged while serialising.
            return true;
        }
        boolean storing = config.acknowledge() == BufferConfig.Acknowledge.STORED;
        boolean fitsMemory = memoryBytes + next.memoryBytes() <= config.memoryBytes();
        if (!fitsMemory && storing) {
            storeQueued();
            fitsMemory = memoryBytes + next.memoryBytes() <= config.memoryBytes();
        }
        long acks = liveAcks.get();
        boolean roomForAcks = acks == 0 || acks + next.size() <= config.maxRecords();
        if (fitsMemory && roomForAcks) {
            keepInMemory(next);
        } else if ((storing || !fitsMemory && roomForAcks) && spill(next, storing)) {
            if (storing) {
                next.acks.forEach(Acknowledgement::acknowledge);
            } else {
                liveAcks.addAndGet(next.size());
            }
        } else if (memoryBytes == 0 && roomForAcks) {
            // An empty memory takes even a batch larger than its limit, or that batch would wait forever.
            keepInMemory(next);
        } else {
            return false;
        }
        return true;
    }

    private void keepInMemory(SerialisedBatch batch) {
        memoryBytes += batch.memoryBytes();
        liveAcks.addAndGet(batch.size());
        queue.add(new Queued.InMemory(queue.nextSeq(), batch, () -> {
            memoryBytes -= batch.memoryBytes();
            admit();
        }));
    }

    /** Writes a waiting batch to disk and queues it; with {@code storing} its acknowledgements are the caller's. */
    private boolean spill(SerialisedBatch batch, boolean storing) {
        SegmentFiles.Location run = spill.write(batch.records, storing);
        if (run == null) {
            return false;
        }
        queue.add(spilled(queue.nextSeq(), run, storing ? null : batch.acks, batch.readNanos()));
        return true;
    }

    private Queued.Spilled spilled(long seq, SegmentFiles.Location run, List<Acknowledgement> acks, long[] readNanos) {
        return new Queued.Spilled(seq, run, acks, readNanos, () -> {
            spill.done(run);
            admit();
        });
    }

    /**
     * With {@code acknowledge: stored}: writes what waits in memory or for a retry to disk, in its place in the
     * queue, and acknowledges it, so that no older record in memory holds back its files' positions and bookkeeping
     * while the rest of an outage goes to disk.
     */
    private void storeQueued() {
        List<Runnable> acknowledge = new ArrayList<>();
        queue.replaceFromOldest(entry -> store(entry, acknowledge));
        acknowledge.forEach(Runnable::run);
    }

    /** The entry on disk, or the entry itself when it already is; null when the disk has no room for it. */
    private Queued store(Queued entry, List<Runnable> acknowledge) {
        if (entry instanceof Queued.InMemory memory) {
            SegmentFiles.Location run = spill.write(memory.batch.records, true);
            if (run == null) {
                return null;
            }
            acknowledge.add(() -> {
                memoryBytes -= memory.batch.memoryBytes();
                liveAcks.addAndGet(-memory.batch.size());
                memory.batch.acks.forEach(Acknowledgement::acknowledge);
            });
            return spilled(memory.seq, run, null, memory.batch.readNanos());
        }
        if (entry instanceof Queued.Live live && live.holdsAcknowledgements()) {
            List<SinkRecord> undelivered = Deliveries.undelivered(live.records);
            SerialisedBatch serialised = serialiser.serialise(undelivered);
            if (serialised.isEmpty()) {
                return entry;
            }
            SegmentFiles.Location run = spill.write(serialised.records, true);
            if (run == null) {
                return null;
            }
            acknowledge.add(() -> {
                undelivered.forEach(r -> r.ack().acknowledge());
                metrics.records.addAndGet(serialised.size());
            });
            return spilled(live.seq, run, null, serialised.readNanos());
        }
        return entry;
    }

    /** A batch on its way into the buffer, and the future its sender waits on. */
    abstract static class Pending {
        final CompletableFuture<Void> accepted;

        Pending(CompletableFuture<Void> accepted) {
            this.accepted = accepted;
        }

        abstract int records();
    }

    /** A batch as it was sent, held while a healthy inner sink has no free slot. */
    static final class Held extends Pending {
        final List<SinkRecord> batch;
        /** When it came ({@link io.vedetta.time.Ticker} nanoseconds): a stall is timed from here at the earliest. */
        final long since;

        Held(List<SinkRecord> batch, long since, CompletableFuture<Void> accepted) {
            super(accepted);
            this.batch = batch;
            this.since = since;
        }

        @Override
        int records() {
            return batch.size();
        }
    }

    /** A serialised batch waiting for room in memory or on disk. */
    static final class Waiting extends Pending {
        final SerialisedBatch batch;

        Waiting(SerialisedBatch batch, CompletableFuture<Void> accepted) {
            super(accepted);
            this.batch = batch;
        }

        @Override
        int records() {
            return batch.size();
        }
    }
}

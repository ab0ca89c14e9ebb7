package io.vedetta.logs.buffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.logs.record.Acknowledgement;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.time.Backoff;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded buffer in front of the real sink, so that reading goes on while the sink is down: the kubelet
 * deletes rotated log files, and a reader paused through a long outage would lose the lines of files deleted
 * before it got to them.
 *
 * <p>Wait, then spill. Up to {@code logs.buffer.maxInFlight} batches go straight through. While the inner sink
 * is healthy, a reader that outruns it waits: {@link #send} returns a future that completes when a slot frees
 * up, so the pipeline's in-flight bound stops it and the tailer pauses ({@code vedetta_log_paused}). Holding
 * the batch instead would cost a serialisation, a write and a read-back per record for lines that are on disk
 * already. Only while the inner sink fails batches, or has delivered nothing for
 * {@code logs.buffer.stallTimeout} while a batch waited for it (a stall: the Elasticsearch sink retries by
 * itself and never fails a batch), the buffer accepts batches at once: serialised, kept in memory up to
 * {@code logs.buffer.memoryBytes}, then appended to spill segments in {@code <stateDir>/buffer} up to
 * {@code logs.buffer.diskBytes}. When those are full, the future again completes only when room frees up.
 * Unlike other sinks, the future therefore means "accepted", not "delivered".
 *
 * <p>When records are acknowledged to their files ({@code logs.buffer.acknowledge}):
 * <ul>
 *   <li>{@code delivered} (default): only when the inner sink acknowledges them. Every record held keeps its
 *       file's acknowledgement bookkeeping on the heap (about 300 bytes a record, measured), so
 *       {@code logs.buffer.maxRecords} also bounds what is held; in a long outage that, not the disk, is what
 *       fills first.</li>
 *   <li>{@code stored}: also when they are written to a spill segment and synced. When memory is full,
 *       everything queued in memory or for a retry goes to disk and is acknowledged with the new batch, so
 *       positions keep moving through an outage and a rotated file the kubelet deletes loses nothing that was
 *       read. The disk then bounds the outage.</li>
 * </ul>
 *
 * <p>Batches go to the inner sink in order, at most {@code logs.buffer.maxInFlight} at a time; a batch the
 * inner sink fails is sent again (only its unacknowledged records) after a jittered exponential backoff, in
 * its place, and until a batch succeeds again only one is in flight. A batch that succeeds ends a stall too.
 * Batches that pass straight through are not counted in the memory bytes; there are at most {@code maxInFlight}
 * of them.
 *
 * <p>Restart: segments an earlier run left are sent first, without acknowledgement handles. In
 * {@code delivered} mode their files' positions were never committed past them, so the tailer reads them
 * again too; in either mode a segment is deleted only when all of it is delivered, so a partly delivered one
 * is sent whole again. Sinks that write idempotently by record id (Elasticsearch {@code create} with
 * {@code _id}) absorb both; the forward sink delivers such records twice. What was only in memory is lost
 * with the process and read again from the files.
 */
public final class SpillingSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(SpillingSink.class);
    private static final int REPLAY_RUN_RECORDS = 500;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final long DRAIN_MILLIS = 2000;

    private final Sink inner;
    private final BufferConfig config;
    private final BufferMetrics metrics;
    private final SegmentFiles segments;
    private final Backoff backoff;
    // Nothing between the documents one generator writes one after the other.
    private final JsonFactory json = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    /** Batches not accepted yet, in the order they came: held for a slot, or serialised and waiting for room. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Thread forwarder;
    private long nextSeq;
    private long memoryBytes;
    private final AtomicLong liveAcks = new AtomicLong();
    /** Records the inner sink acknowledged so far: the forwarder compares it over time to tell a stall. */
    private final AtomicLong delivered = new AtomicLong();
    private long deliveredSeen;
    private long progressSeenAt;
    private boolean admitting;
    private int inFlight;
    /** Batches the inner sink failed since it last delivered one. */
    private int failuresInARow;
    private long retryAt;
    private boolean closing;
    private boolean closed;
    private boolean failing;
    private boolean stalled;
    private boolean diskFailing;

    public SpillingSink(Sink inner, BufferConfig config, MeterRegistry registry) throws IOException {
        this.inner = inner;
        this.config = config;
        this.metrics = new BufferMetrics(registry);
        this.segments = new SegmentFiles(config.dir(), config.segmentBytes());
        this.backoff = Backoff.jittered(FIRST_BACKOFF, config.maxRetryBackoff());
        long replayed = 0;
        for (SegmentFiles.Location run : segments.recover(REPLAY_RUN_RECORDS, metrics.corrupt::increment)) {
            queue.add(new Spilled(nextSeq++, run, null, null));
            replayed += run.records();
        }
        if (replayed > 0) {
            LOG.info("sending {} records left in {} by an earlier run first; their files are read again too",
                    replayed, config.dir());
        }
        metrics.replayed.increment(replayed);
        metrics.records.set(replayed);
        metrics.diskBytes.set(segments.totalBytes());
        this.forwarder = new Thread(this::forward, "log-buffer-forwarder");
        forwarder.setDaemon(true);
        forwarder.start();
    }

    @Override
    public CompletableFuture<Void> send(List<SinkRecord> batch) {
        synchronized (this) {
            if (closing) {
                return CompletableFuture.failedFuture(new IllegalStateException("the log buffer is closed"));
            }
            metrics.records.addAndGet(batch.size());
            if (pending.isEmpty() && slotFree()) {
                passThrough(batch);
                notifyAll();
                return CompletableFuture.completedFuture(null);
            }
            if (healthy()) {
                Held held = new Held(batch, System.currentTimeMillis());
                pending.addLast(held);
                // The forwarder times the stall from now.
                notifyAll();
                return held.accepted;
            }
        }
        Waiting serialised = serialise(batch, new CompletableFuture<>());
        synchronized (this) {
            if (closing) {
                metrics.records.addAndGet(-batch.size());
                return CompletableFuture.failedFuture(new IllegalStateException("the log buffer is closed"));
            }
            metrics.records.addAndGet(serialised.stored.size() - batch.size());
            if (serialised.stored.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            pending.addLast(serialised);
            admit();
            return serialised.accepted;
        }
    }

    /** Neither failing nor stalled: a reader that outruns the inner sink waits for it. */
    private boolean healthy() {
        return !failing && !stalled;
    }

    private boolean slotFree() {
        return queue.size() + inFlight < config.maxInFlight();
    }

    private void passThrough(List<SinkRecord> batch) {
        liveAcks.addAndGet(batch.size());
        Tracker tracker = new Tracker(null);
        queue.addLast(new Live(nextSeq++,
                batch.stream().map(r -> tracker.wrap(r.id(), r.document(), r.ack(), r.readNanos())).toList()));
    }

    /**
     * Serialises a batch with one generator: a generator per record cost more than some of the documents. Each
     * document is copied out of the generator's small buffer, which then starts again.
     */
    private Waiting serialise(List<SinkRecord> batch, CompletableFuture<Void> accepted) {
        Waiting out = new Waiting(accepted);
        DocumentBuffer bytes = new DocumentBuffer(4096);
        JsonGenerator generator = null;
        for (SinkRecord record : batch) {
            bytes.reset();
            try {
                if (generator == null) {
                    generator = json.createGenerator(bytes);
                }
                record.document().writeTo(generator);
                generator.flush();
            } catch (IOException | RuntimeException e) {
                // One broken document must not hold back its file's position: counted, logged and let go.
                metrics.dropped.increment();
                LOG.error("log buffer drops record {}: its document cannot be written: {}", record.id(), e.toString());
                record.ack().acknowledge();
                // The generator may be inside the object it failed to finish.
                generator = null;
                continue;
            }
            StoredRecord stored = new StoredRecord(record.id().toString(), record.document().routingKey(), bytes.copy(),
                    record.readNanos());
            out.stored.add(stored);
            out.acks.add(record.ack());
            out.bytes += stored.memoryBytes();
        }
        return out;
    }

    /** The generator's output: one document at a time, copied out whole. */
    private static final class DocumentBuffer extends ByteArrayOutputStream {
        DocumentBuffer(int capacity) {
            super(capacity);
        }

        /** Unlike {@link #toByteArray()}, without taking the stream's lock for each document. */
        byte[] copy() {
            return Arrays.copyOf(buf, count);
        }
    }

    /**
     * Accepts pending batches, in order, while there is room: a held one into a free slot, a serialised one into
     * memory or onto disk. Holds the lock. Not re-entered: acknowledging records while storing frees room and
     * calls back here.
     */
    private void admit() {
        if (admitting) {
            return;
        }
        admitting = true;
        try {
            Pending next;
            while ((next = pending.peekFirst()) != null && !closed && admitOne(next)) {
                pending.pollFirst();
                next.accepted.complete(null);
                notifyAll();
            }
        } finally {
            admitting = false;
        }
        metrics.full.set(pending.peekFirst() instanceof Waiting ? 1 : 0);
        metrics.memoryBytes.set(memoryBytes);
        metrics.diskBytes.set(segments.totalBytes());
    }

    private boolean admitOne(Pending next) {
        if (next instanceof Held held) {
            if (!slotFree()) {
                return false;
            }
            passThrough(held.batch);
            return true;
        }
        return admitSerialised((Waiting) next);
    }

    /**
     * The inner sink failed or stalled: batches held for a slot are serialised in their place, so that they
     * take memory or disk like every batch after them and their senders go on reading. Holds the lock.
     */
    private void stopHolding() {
        for (int i = pending.size(); i > 0; i--) {
            Pending next = pending.pollFirst();
            if (next instanceof Held held) {
                Waiting serialised = serialise(held.batch, held.accepted);
                metrics.records.addAndGet(serialised.stored.size() - held.batch.size());
                next = serialised;
            }
            pending.addLast(next);
        }
        admit();
    }

    private boolean admitSerialised(Waiting next) {
        if (next.stored.isEmpty()) {
            // Every document of a held batch was broken: dropped and acknowledged while serialising.
            return true;
        }
        boolean storing = config.acknowledge() == BufferConfig.Acknowledge.STORED;
        boolean fitsMemory = memoryBytes + next.bytes <= config.memoryBytes();
        if (!fitsMemory && storing) {
            storeQueued();
            fitsMemory = memoryBytes + next.bytes <= config.memoryBytes();
        }
        // Every record whose acknowledgement is pending keeps its file's bookkeeping on the heap.
        long pending = liveAcks.get();
        boolean roomForAcks = pending == 0 || pending + next.stored.size() <= config.maxRecords();
        if (fitsMemory && roomForAcks) {
            keepInMemory(next);
        } else if ((storing || !fitsMemory && roomForAcks) && spill(next, storing)) {
            if (storing) {
                next.acks.forEach(Acknowledgement::acknowledge);
            } else {
                liveAcks.addAndGet(next.stored.size());
            }
        } else if (memoryBytes == 0 && roomForAcks) {
            // An empty memory takes even a batch larger than its limit, or that batch would wait forever.
            keepInMemory(next);
        } else {
            return false;
        }
        return true;
    }

    private void keepInMemory(Waiting batch) {
        memoryBytes += batch.bytes;
        liveAcks.addAndGet(batch.stored.size());
        queue.addLast(new InMemory(nextSeq++, batch));
    }

    /**
     * With {@code acknowledge: stored}: writes what waits in memory or for a retry to disk, in its place in
     * the queue, and acknowledges it, so that no older record in memory holds back its files' positions and
     * bookkeeping while the rest of an outage goes to disk.
     */
    private void storeQueued() {
        ArrayDeque<Entry> rebuilt = new ArrayDeque<>(queue.size());
        List<Runnable> acknowledge = new ArrayList<>();
        boolean room = true;
        for (Entry entry : queue) {
            Entry stored = room ? store(entry, acknowledge) : null;
            room = stored != null;
            rebuilt.addLast(room ? stored : entry);
        }
        queue.clear();
        queue.addAll(rebuilt);
        acknowledge.forEach(Runnable::run);
    }

    /** The entry on disk, or the entry itself when it already is; null when the disk has no room for it. */
    private Entry store(Entry entry, List<Runnable> acknowledge) {
        if (entry instanceof InMemory memory) {
            SegmentFiles.Location run = write(memory.batch.stored, true);
            if (run == null) {
                return null;
            }
            acknowledge.add(() -> {
                memoryBytes -= memory.batch.bytes;
                liveAcks.addAndGet(-memory.batch.stored.size());
                memory.batch.acks.forEach(Acknowledgement::acknowledge);
            });
            return new Spilled(memory.seq, run, null, readNanos(memory.batch.stored));
        }
        if (entry instanceof Live live && live.holdsAcknowledgements()) {
            List<SinkRecord> undelivered = live.records.stream().filter(r -> !((DeliveryAck) r.ack()).done()).toList();
            Waiting serialised = serialise(undelivered, new CompletableFuture<>());
            if (serialised.stored.isEmpty()) {
                return entry;
            }
            SegmentFiles.Location run = write(serialised.stored, true);
            if (run == null) {
                return null;
            }
            acknowledge.add(() -> {
                undelivered.forEach(r -> r.ack().acknowledge());
                metrics.records.addAndGet(serialised.stored.size());
            });
            return new Spilled(live.seq, run, null, readNanos(serialised.stored));
        }
        return entry;
    }

    /** Writes a waiting batch to disk and queues it; with {@code storing} its acknowledgements are the caller's. */
    private boolean spill(Waiting batch, boolean storing) {
        SegmentFiles.Location run = write(batch.stored, storing);
        if (run == null) {
            return false;
        }
        queue.addLast(new Spilled(nextSeq++, run, storing ? null : batch.acks, readNanos(batch.stored)));
        return true;
    }

    private static long[] readNanos(List<StoredRecord> stored) {
        return stored.stream().mapToLong(StoredRecord::readNanos).toArray();
    }

    /** Appends a run to the segments; null when the disk has no room for it or cannot be written. */
    private SegmentFiles.Location write(List<StoredRecord> records, boolean sync) {
        if (segments.totalBytes() + segments.bytesToAppend(records) > config.diskBytes()) {
            return null;
        }
        try {
            SegmentFiles.Location run = segments.append(records, sync);
            metrics.spilled.increment(records.size());
            diskFailing = false;
            return run;
        } catch (IOException e) {
            metrics.writeErrors.increment();
            if (!diskFailing) {
                LOG.error("cannot write to the spill segments in {}; batches wait for memory to free up: {}",
                        config.dir(), e.toString());
            }
            diskFailing = true;
            return null;
        }
    }

    /**
     * While a batch waits for a slot, a stall is that many milliseconds in which the inner sink acknowledged no
     * record: progress seen at any look restarts the clock. Holds the lock; the forwarder looks whenever it wakes.
     */
    private void watchForStall(long now) {
        if (!(pending.peekFirst() instanceof Held oldest) || !healthy()) {
            return;
        }
        long seen = delivered.get();
        if (seen != deliveredSeen) {
            deliveredSeen = seen;
            progressSeenAt = now;
        }
        if (now >= stallDeadline(oldest)) {
            stalled = true;
            metrics.stalls.increment();
            LOG.warn("the sink behind the log buffer delivered nothing for {} while batches waited for it; the buffer"
                    + " takes them (memory, then disk) and reading goes on until the sink delivers again",
                    config.stallTimeout());
            stopHolding();
        }
    }

    private long stallDeadline(Held oldest) {
        return Math.max(oldest.since, progressSeenAt) + config.stallTimeout().toMillis();
    }

    private void forward() {
        Entry entry;
        while ((entry = next()) != null) {
            List<SinkRecord> records;
            try {
                records = entry.records();
            } catch (IOException e) {
                abandon((Spilled) entry, e);
                continue;
            }
            CompletableFuture<Void> result;
            try {
                result = inner.send(records);
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
            long seq = entry.seq;
            result.whenComplete((ok, error) -> finished(seq, records, error));
        }
    }

    private synchronized Entry next() {
        while (!closed) {
            long now = System.currentTimeMillis();
            watchForStall(now);
            // While the sink fails, one batch at a time probes it: the oldest goes first when it recovers.
            boolean ready = !queue.isEmpty() && inFlight < (failing ? 1 : config.maxInFlight());
            if (ready && now >= retryAt) {
                inFlight++;
                return queue.pollFirst();
            }
            long wake = ready ? retryAt : Long.MAX_VALUE;
            if (pending.peekFirst() instanceof Held oldest && healthy()) {
                wake = Math.min(wake, stallDeadline(oldest));
            }
            try {
                wait(wake == Long.MAX_VALUE ? 0 : Math.max(1, wake - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private synchronized void finished(long seq, List<SinkRecord> records, Throwable error) {
        inFlight--;
        if (error == null) {
            if (!healthy()) {
                LOG.info("the sink behind the log buffer delivers batches again; a reader that outruns it waits again");
            }
            failing = false;
            stalled = false;
            failuresInARow = 0;
        } else if (!closed) {
            List<SinkRecord> rest = records.stream().filter(r -> !((DeliveryAck) r.ack()).done()).toList();
            if (!rest.isEmpty()) {
                requeue(new Live(seq, rest));
            }
            metrics.retries.increment();
            retryAt = System.currentTimeMillis() + backoff.delayMillis(failuresInARow++);
            if (!failing) {
                LOG.warn("the sink behind the log buffer failed a batch; retrying its {} undelivered records with"
                        + " backoff while the buffer keeps accepting: {}", rest.size(), error.toString());
            }
            failing = true;
            stopHolding();
        }
        // A free slot takes the oldest held batch.
        admit();
        notifyAll();
    }

    /** Puts a retry back ahead of every later batch, behind earlier retries still waiting. */
    private void requeue(Entry retry) {
        ArrayDeque<Entry> earlier = new ArrayDeque<>();
        while (!queue.isEmpty() && queue.peekFirst().seq < retry.seq) {
            earlier.addLast(queue.pollFirst());
        }
        queue.addFirst(retry);
        while (!earlier.isEmpty()) {
            queue.addFirst(earlier.pollLast());
        }
    }

    /** A run that cannot be read back is skipped; records with a live handle stay unacknowledged and are read again after a restart. */
    private synchronized void abandon(Spilled entry, IOException e) {
        inFlight--;
        metrics.readErrors.increment();
        LOG.error("skipping {} records of spill segment {} that cannot be read back: {}", entry.run.records(),
                entry.run.segment().path, e.toString());
        metrics.records.addAndGet(-entry.run.records());
        release(entry.run);
        notifyAll();
    }

    private void release(SegmentFiles.Location run) {
        try {
            segments.delivered(run.segment(), run.records());
        } catch (IOException e) {
            metrics.writeErrors.increment();
            LOG.error("cannot delete the delivered spill segment {}: {}", run.segment().path, e.toString());
        }
        admit();
    }

    /**
     * Stops accepting, gives the inner sink up to {@value #DRAIN_MILLIS} ms to take what is queued while it
     * is healthy (the last batches a stopping pipeline sends, such as a flushed partial line, or batches held
     * for a slot), then stops forwarding and closes the inner sink. Batches still not accepted then fail; records
     * still in memory stay unacknowledged and are read again from their files; spill segments stay for the next
     * start.
     */
    @Override
    public void close() {
        List<Pending> refused;
        synchronized (this) {
            if (closed) {
                return;
            }
            closing = true;
            long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
            long left;
            while ((!queue.isEmpty() || inFlight > 0 || !pending.isEmpty()) && !failing
                    && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closed = true;
            refused = new ArrayList<>(pending);
            refused.forEach(p -> metrics.records.addAndGet(-p.records()));
            pending.clear();
            metrics.full.set(0);
            if (metrics.records.get() > 0) {
                LOG.warn("log buffer stops with {} records undelivered; spilled ones are sent at the next start,"
                        + " all are read again from their files", metrics.records.get());
            }
            notifyAll();
        }
        refused.forEach(p -> p.accepted.completeExceptionally(new IllegalStateException("the log buffer is closed")));
        try {
            forwarder.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inner.close();
        synchronized (this) {
            try {
                segments.close();
            } catch (IOException e) {
                metrics.writeErrors.increment();
                LOG.error("closing the spill segments in {} failed: {}", config.dir(), e.toString());
            }
        }
    }

    /** Something queued for the inner sink, turned into records only when its turn comes. */
    private abstract static class Entry {
        /** Place in the order of batches: a retry goes back to its place, ahead of later batches. */
        final long seq;

        Entry(long seq) {
            this.seq = seq;
        }

        abstract List<SinkRecord> records() throws IOException;
    }

    /** Records still in their original form: a batch passed straight through, or what a failed send left. */
    private static final class Live extends Entry {
        private final List<SinkRecord> records;

        Live(long seq, List<SinkRecord> records) {
            super(seq);
            this.records = records;
        }

        @Override
        List<SinkRecord> records() {
            return records;
        }

        /** False for the retry of a run already on disk: storing it again would only duplicate it. */
        boolean holdsAcknowledgements() {
            return records.stream().anyMatch(r -> ((DeliveryAck) r.ack()).original != null);
        }
    }

    /** A serialised batch kept in memory. */
    private final class InMemory extends Entry {
        private final Waiting batch;

        InMemory(long seq, Waiting batch) {
            super(seq);
            this.batch = batch;
        }

        @Override
        List<SinkRecord> records() {
            Tracker tracker = new Tracker(() -> {
                memoryBytes -= batch.bytes;
                admit();
            });
            List<SinkRecord> records = new ArrayList<>(batch.stored.size());
            for (int i = 0; i < batch.stored.size(); i++) {
                StoredRecord stored = batch.stored.get(i);
                records.add(tracker.wrap(RecordId.of(stored.id()), stored.document(), batch.acks.get(i),
                        stored.readNanos()));
            }
            return records;
        }
    }

    /**
     * A run of a spill segment; {@code acks} is null for runs an earlier process left or whose records were
     * acknowledged when stored, {@code readNanos} (when each record was read, for the delivery latency) is null
     * for runs an earlier process left.
     */
    private final class Spilled extends Entry {
        private final SegmentFiles.Location run;
        private final List<Acknowledgement> acks;
        private final long[] readNanos;

        Spilled(long seq, SegmentFiles.Location run, List<Acknowledgement> acks, long[] readNanos) {
            super(seq);
            this.run = run;
            this.acks = acks;
            this.readNanos = readNanos;
        }

        @Override
        List<SinkRecord> records() throws IOException {
            List<StoredRecord> stored = SegmentFiles.read(run);
            if (stored.size() != run.records()) {
                throw new IOException("expected " + run.records() + " records, read " + stored.size());
            }
            Tracker tracker = new Tracker(() -> release(run));
            List<SinkRecord> records = new ArrayList<>(stored.size());
            for (int i = 0; i < stored.size(); i++) {
                records.add(tracker.wrap(RecordId.of(stored.get(i).id()), stored.get(i).document(),
                        acks == null ? null : acks.get(i),
                        readNanos == null ? stored.get(i).readNanos() : readNanos[i]));
            }
            return records;
        }
    }

    /** A batch on its way into the buffer, and the future its sender waits on. */
    private abstract static class Pending {
        final CompletableFuture<Void> accepted;

        Pending(CompletableFuture<Void> accepted) {
            this.accepted = accepted;
        }

        abstract int records();
    }

    /** A batch as it was sent, held while a healthy inner sink has no free slot. */
    private static final class Held extends Pending {
        final List<SinkRecord> batch;
        /** When it came ({@link System#currentTimeMillis()}): a stall is timed from here at the earliest. */
        final long since;

        Held(List<SinkRecord> batch, long since) {
            super(new CompletableFuture<>());
            this.batch = batch;
            this.since = since;
        }

        @Override
        int records() {
            return batch.size();
        }
    }

    /** A serialised batch waiting for room in memory or on disk. */
    private static final class Waiting extends Pending {
        final List<StoredRecord> stored = new ArrayList<>();
        final List<Acknowledgement> acks = new ArrayList<>();
        long bytes;

        Waiting(CompletableFuture<Void> accepted) {
            super(accepted);
        }

        @Override
        int records() {
            return stored.size();
        }
    }

    /** Counts a batch's records as they are delivered and frees its room after the last. */
    private final class Tracker {
        /** Runs under the buffer's lock after the last record; null when the batch holds no room. */
        private final Runnable release;
        private final AtomicInteger remaining = new AtomicInteger();

        Tracker(Runnable release) {
            this.release = release;
        }

        SinkRecord wrap(RecordId id, Document document, Acknowledgement original, long readNanos) {
            remaining.incrementAndGet();
            return new SinkRecord(id, document, new DeliveryAck(this, original), readNanos);
        }
    }

    /**
     * The acknowledgement the inner sink sees: it books the delivery, then passes it on to the source. Lock-free
     * but for the last record of a batch, since sinks acknowledge every record and the buffer is on that path.
     */
    private final class DeliveryAck implements Acknowledgement {
        /** A field updater rather than an AtomicBoolean: one object less for every record that passes. */
        private static final AtomicIntegerFieldUpdater<DeliveryAck> DONE =
                AtomicIntegerFieldUpdater.newUpdater(DeliveryAck.class, "done");
        private final Tracker tracker;
        private final Acknowledgement original;
        private volatile int done;

        DeliveryAck(Tracker tracker, Acknowledgement original) {
            this.tracker = tracker;
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
            delivered.incrementAndGet();
            if (original != null) {
                liveAcks.decrementAndGet();
            }
            boolean last = tracker.remaining.decrementAndGet() == 0;
            if (last && tracker.release != null || metrics.full.get() == 1) {
                synchronized (SpillingSink.this) {
                    if (last && tracker.release != null) {
                        tracker.release.run();
                    } else {
                        admit();
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

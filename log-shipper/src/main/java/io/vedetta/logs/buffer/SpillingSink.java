package io.vedetta.logs.buffer;

import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.time.Ticker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded buffer in front of the real sink, so that reading goes on while the sink is down: the kubelet deletes
 * rotated log files, and a reader paused through a long outage would lose the lines of files deleted before it got
 * to them.
 *
 * <p>Wait, then spill. What the buffer does with a batch depends on what the inner sink last did:
 * <pre>
 *                          a batch fails
 *        +------------------------------------------------+
 *        |                                                v
 *   +---------+  delivered nothing for stallTimeout  +---------+  a batch fails  +---------+
 *   | PASSING | -----------------------------------> | STALLED | --------------> | FAILING |
 *   +---------+   while a batch waited for a slot    +---------+                 +---------+
 *     ^  ^                                                |                           |
 *     |  +-------------- a batch is delivered ------------+                           |
 *     +-------------------------------- a batch is delivered -------------------------+
 * </pre>
 * <ul>
 *   <li>{@link State#PASSING}: up to {@code logs.buffer.maxInFlight} batches go straight through; a reader that
 *       outruns the sink waits: {@link #send} returns a future that completes when a slot frees up, so the
 *       pipeline's in-flight bound stops it and the tailer pauses ({@code vedetta_log_paused}). Holding the batch
 *       instead would cost a serialisation, a write and a read-back per record for lines that are on disk
 *       already.</li>
 *   <li>{@link State#STALLED} and {@link State#FAILING}: the buffer accepts batches at once, serialised, into memory
 *       up to {@code logs.buffer.memoryBytes}, then into spill segments in {@code <stateDir>/buffer} up to
 *       {@code logs.buffer.diskBytes} ({@link Admission}); batches held for a slot are taken the same way. When
 *       memory and disk are full, the future again completes only when room frees up. A stall exists because the
 *       Elasticsearch sink retries by itself and never fails a batch ({@link StallWatch}).</li>
 * </ul>
 * Unlike other sinks', the future therefore means "accepted", not "delivered". Batches go to the inner sink in order
 * ({@link RetryQueue}): a batch the inner sink fails is sent again (only its unacknowledged records) after a jittered
 * exponential backoff, in its place, and while it fails only one batch is in flight. Batches that pass straight
 * through are not counted in the memory bytes; there are at most {@code maxInFlight} of them.
 *
 * <p>Closing: {@link Phase#OPEN} to {@link Phase#DRAINING}, where no batch is accepted and the inner sink gets up to
 * {@value #DRAIN_MILLIS} ms to take what is queued, unless it is {@code FAILING}; then {@link Phase#CLOSED}.
 *
 * <p>When records are acknowledged to their files ({@code logs.buffer.acknowledge}):
 * <ul>
 *   <li>{@code delivered} (default): only when the inner sink acknowledges them. Every record held keeps its file's
 *       acknowledgement bookkeeping on the heap (about 300 bytes a record, measured), so
 *       {@code logs.buffer.maxRecords} also bounds what is held; in a long outage that, not the disk, is what fills
 *       first.</li>
 *   <li>{@code stored}: also when they are written to a spill segment and synced. When memory is full, everything
 *       queued in memory or for a retry goes to disk and is acknowledged with the new batch, so positions keep moving
 *       through an outage and a rotated file the kubelet deletes loses nothing that was read. The disk then bounds
 *       the outage.</li>
 * </ul>
 *
 * <p>Restart: segments an earlier run left are sent first, without acknowledgement handles. In {@code delivered}
 * mode their files' positions were never committed past them, so the tailer reads them again too; in either mode a
 * segment is deleted only when all of it is delivered, so a partly delivered one is sent whole again. Sinks that
 * write idempotently by record id (Elasticsearch {@code create} with {@code _id}) absorb both; the forward sink
 * delivers such records twice. What was only in memory is lost with the process and read again from the files.
 *
 * <p>One lock guards the buffer and the parts above; timers read a monotonic {@link Ticker}, never the wall clock.
 */
public final class SpillingSink implements Sink {

    /** What the buffer does with a batch, by what the inner sink last did (see the class comment). */
    enum State {
        PASSING, STALLED, FAILING
    }

    /** Whether the buffer takes batches and forwards them. */
    enum Phase {
        OPEN, DRAINING, CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(SpillingSink.class);
    private static final int REPLAY_RUN_RECORDS = 500;
    private static final long DRAIN_MILLIS = 2000;

    private final Object lock = new Object();
    private final Sink inner;
    private final BufferConfig config;
    private final BufferMetrics metrics;
    private final Ticker ticker;
    private final BatchSerialiser serialiser;
    private final Spill spill;
    private final RetryQueue queue;
    private final StallWatch stall;
    private final Admission admission;
    private final Deliveries deliveries;
    private final Thread forwarder;
    private State state = State.PASSING;
    private Phase phase = Phase.OPEN;

    public SpillingSink(Sink inner, BufferConfig config, MeterRegistry registry, Ticker ticker) throws IOException {
        this.inner = inner;
        this.config = config;
        this.metrics = new BufferMetrics(registry);
        this.ticker = ticker;
        this.serialiser = new BatchSerialiser(metrics,
                new SpillDeadLetters(config.dir(), metrics, Clock.systemUTC()));
        this.spill = new Spill(config, metrics);
        this.queue = new RetryQueue(config.maxInFlight(), config.maxRetryBackoff());
        this.stall = new StallWatch(config.stallTimeout(), ticker.nanos());
        this.admission = new Admission(lock, config, metrics, queue, spill, serialiser, stall);
        this.deliveries = admission.deliveries();
        long replayed = 0;
        for (SegmentFiles.Location run : spill.recover(REPLAY_RUN_RECORDS, metrics.corrupt::increment)) {
            admission.replay(run);
            replayed += run.records();
        }
        if (replayed > 0) {
            LOG.info("sending {} records left in {} by an earlier run first; their files are read again too",
                    replayed, config.dir());
        }
        metrics.replayed.increment(replayed);
        metrics.records.set(replayed);
        metrics.diskBytes.set(spill.bytes());
        this.forwarder = new Thread(this::forward, "log-buffer-forwarder");
        forwarder.setDaemon(true);
        forwarder.start();
    }

    @Override
    public CompletableFuture<Void> send(List<SinkRecord> batch) {
        synchronized (lock) {
            if (phase != Phase.OPEN) {
                return refused();
            }
            metrics.records.addAndGet(batch.size());
            if (admission.slotFree()) {
                admission.passThrough(batch);
                lock.notifyAll();
                return CompletableFuture.completedFuture(null);
            }
            if (state == State.PASSING) {
                CompletableFuture<Void> held = admission.hold(batch, ticker.nanos());
                // The forwarder times the stall from now.
                lock.notifyAll();
                return held;
            }
        }
        SerialisedBatch serialised = serialiser.serialise(batch);
        synchronized (lock) {
            if (phase != Phase.OPEN) {
                metrics.records.addAndGet(-batch.size());
                return refused();
            }
            metrics.records.addAndGet(serialised.size() - batch.size());
            if (serialised.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return admission.take(serialised);
        }
    }

    private static CompletableFuture<Void> refused() {
        return CompletableFuture.failedFuture(new IllegalStateException("the log buffer is closed"));
    }

    private void forward() {
        Queued entry;
        while ((entry = next()) != null) {
            List<SinkRecord> records;
            try {
                records = entry.records(deliveries);
            } catch (IOException e) {
                abandon((Queued.Spilled) entry, e);
                continue;
            }
            CompletableFuture<Void> result;
            try {
                result = inner.send(records);
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
            long seq = entry.seq;
            // Kept for a retry only where the inner sink does not retry by itself: the Elasticsearch sink holds its
            // records as bulk bytes, and their parsed documents would otherwise stay on the heap until delivered.
            List<SinkRecord> retained = inner.retriesUntilClosed() ? null : records;
            result.whenComplete((ok, error) -> finished(seq, retained, error));
        }
    }

    /** The next batch for the inner sink when its turn comes, null once closed; looks for a stall whenever it wakes. */
    private Queued next() {
        synchronized (lock) {
            while (phase != Phase.CLOSED) {
                long now = ticker.nanos();
                watchForStall(now);
                Queued entry = queue.take(now, state == State.FAILING);
                if (entry != null) {
                    return entry;
                }
                long wake = queue.readyAt(state == State.FAILING);
                Admission.Held oldest = admission.oldestHeld();
                if (oldest != null && state == State.PASSING) {
                    wake = Math.min(wake, stall.deadline(oldest.since));
                }
                try {
                    ticker.awaitUntil(lock, wake);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }
    }

    /** PASSING to STALLED: batches wait for a slot, and the inner sink has delivered nothing for the stall timeout. */
    private void watchForStall(long now) {
        Admission.Held oldest = admission.oldestHeld();
        if (oldest == null || state != State.PASSING || !stall.stalled(oldest.since, now)) {
            return;
        }
        state = State.STALLED;
        metrics.stalls.increment();
        LOG.warn("the sink behind the log buffer delivered nothing for {} while batches waited for it; the buffer takes"
                + " them (memory, then disk) and reading goes on until the sink delivers again", config.stallTimeout());
        admission.stopHolding();
    }

    /**
     * A batch is back from the inner sink: delivered (to PASSING) or failed (to FAILING, and retried). {@code records}
     * is null when the inner sink retries until closed, so a failure while open breaks its contract: nothing is left
     * to send again, and the records stay unacknowledged (read again after a restart), counted and logged.
     */
    private void finished(long seq, List<SinkRecord> records, Throwable error) {
        synchronized (lock) {
            if (error == null) {
                queue.delivered();
                if (state != State.PASSING) {
                    LOG.info("the sink behind the log buffer delivers batches again; a reader that outruns it waits"
                            + " again");
                }
                state = State.PASSING;
            } else if (phase != Phase.CLOSED && records == null) {
                queue.dropped();
                metrics.sinkErrors.increment();
                LOG.error("the sink behind the log buffer failed a batch it keeps itself until it is closed; its"
                        + " undelivered records are read again after a restart: {}", error.toString());
            } else if (phase != Phase.CLOSED) {
                List<SinkRecord> rest = Deliveries.undelivered(records);
                queue.failed(rest.isEmpty() ? null : new Queued.Live(seq, rest), ticker.nanos());
                metrics.retries.increment();
                if (state != State.FAILING) {
                    LOG.warn("the sink behind the log buffer failed a batch; retrying its {} undelivered records with"
                            + " backoff while the buffer keeps accepting: {}", rest.size(), error.toString());
                }
                state = State.FAILING;
                admission.stopHolding();
            } else {
                queue.dropped();
            }
            // A free slot takes the oldest held batch.
            admission.admit();
            lock.notifyAll();
        }
    }

    /**
     * A run that cannot be read back is skipped; records with a live handle stay unacknowledged and are read again
     * after a restart.
     */
    private void abandon(Queued.Spilled entry, IOException e) {
        synchronized (lock) {
            queue.dropped();
            metrics.readErrors.increment();
            LOG.error("skipping {} records of spill segment {} that cannot be read back: {}", entry.run.records(),
                    entry.run.segment().path, e.toString());
            metrics.records.addAndGet(-entry.run.records());
            spill.done(entry.run);
            admission.admit();
            lock.notifyAll();
        }
    }

    /**
     * Stops accepting, gives the inner sink up to {@value #DRAIN_MILLIS} ms to take what is queued while it is not
     * failing (the last batches a stopping pipeline sends, such as a flushed partial line, or batches held for a
     * slot), then stops forwarding and closes the inner sink. Batches still not accepted then fail; records still in
     * memory stay unacknowledged and are read again from their files; spill segments stay for the next start.
     */
    @Override
    public void close() {
        List<Admission.Pending> refused;
        synchronized (lock) {
            if (phase == Phase.CLOSED) {
                return;
            }
            phase = Phase.DRAINING;
            long deadline = ticker.nanos() + Duration.ofMillis(DRAIN_MILLIS).toNanos();
            while ((queue.busy() || admission.hasPending()) && state != State.FAILING && ticker.nanos() < deadline) {
                try {
                    ticker.awaitUntil(lock, deadline);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            phase = Phase.CLOSED;
            refused = admission.close();
            if (metrics.records.get() > 0) {
                LOG.warn("log buffer stops with {} records undelivered; spilled ones are sent at the next start,"
                        + " all are read again from their files", metrics.records.get());
            }
            lock.notifyAll();
        }
        refused.forEach(p -> p.accepted.completeExceptionally(new IllegalStateException("the log buffer is closed")));
        try {
            forwarder.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inner.close();
        synchronized (lock) {
            spill.close();
        }
    }
}

package io.vedetta.logs.buffer;

import io.vedetta.logs.record.Sink;
import io.vedetta.logs.record.SinkRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The sink behind the buffer in tests, switched between delivering (acknowledges at once and remembers ids
 * and documents in arrival order), failing (a failed future, nothing acknowledged) and stalled (holds the
 * batch until {@link #deliver()}, {@link #deliverOldest()} or {@link #failHeld()} is called). Made with
 * {@code retriesUntilClosed}, it claims to retry by itself, as the Elasticsearch sink does.
 */
final class ControllableSink implements Sink {

    enum Mode { DELIVER, FAIL, STALL }

    private final List<String> ids = new ArrayList<>();
    private final List<io.vedetta.logs.record.RoutingKey> routings = new ArrayList<>();
    private final List<String> documents = new ArrayList<>();
    private final List<Held> held = new ArrayList<>();
    private final boolean retriesUntilClosed;
    private Mode mode;
    private int batches;

    ControllableSink(Mode mode) {
        this(mode, false);
    }

    ControllableSink(Mode mode, boolean retriesUntilClosed) {
        this.mode = mode;
        this.retriesUntilClosed = retriesUntilClosed;
    }

    @Override
    public boolean retriesUntilClosed() {
        return retriesUntilClosed;
    }

    @Override
    public synchronized CompletableFuture<Void> send(List<SinkRecord> batch) {
        batches++;
        switch (mode) {
            case FAIL:
                return CompletableFuture.failedFuture(new IOException("connection refused"));
            case STALL:
                Held h = new Held(batch, new CompletableFuture<>());
                held.add(h);
                return h.done;
            default:
                deliverNow(batch);
                return CompletableFuture.completedFuture(null);
        }
    }

    /** Switches to delivering and delivers what was held. */
    void deliver() {
        for (Held h : switchTo(Mode.DELIVER)) {
            synchronized (this) {
                deliverNow(h.batch);
            }
            h.done.complete(null);
        }
    }

    /** Delivers the batch held longest and stays stalled: a slow but healthy sink, one step at a time. */
    void deliverOldest() {
        Held oldest;
        synchronized (this) {
            oldest = held.remove(0);
            deliverNow(oldest.batch);
        }
        oldest.done.complete(null);
    }

    /** Switches to failing and fails what was held, acknowledging nothing. */
    void failHeld() {
        switchTo(Mode.FAIL).forEach(h -> h.done.completeExceptionally(new IOException("connection reset")));
    }

    /** Sets the mode and hands over what was held, for the caller to finish outside the lock. */
    private synchronized List<Held> switchTo(Mode mode) {
        this.mode = mode;
        List<Held> release = new ArrayList<>(held);
        held.clear();
        return release;
    }

    synchronized int heldBatches() {
        return held.size();
    }

    synchronized void mode(Mode mode) {
        this.mode = mode;
    }

    private void deliverNow(List<SinkRecord> batch) {
        for (SinkRecord record : batch) {
            ids.add(record.id().toString());
            routings.add(record.document().routingKey());
            documents.add(Json.write(record.document()));
            record.ack().acknowledge();
        }
    }

    synchronized List<io.vedetta.logs.record.RoutingKey> routings() {
        return List.copyOf(routings);
    }

    synchronized List<String> ids() {
        return List.copyOf(ids);
    }

    synchronized List<String> documents() {
        return List.copyOf(documents);
    }

    synchronized int batches() {
        return batches;
    }

    @Override
    public void close() {
    }

    private record Held(List<SinkRecord> batch, CompletableFuture<Void> done) {
    }
}

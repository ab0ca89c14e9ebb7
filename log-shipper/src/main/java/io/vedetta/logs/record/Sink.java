package io.vedetta.logs.record;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The end of the log pipeline. A sink calls each record's {@link SinkRecord#ack()} exactly once, when that
 * record is durably accepted (written and flushed, indexed, or put in a dead letter, counted); a record it
 * could not deliver is never acknowledged, so its file position does not move and it is read again after a
 * restart. Records may be acknowledged in any order.
 */
public interface Sink extends AutoCloseable {

    /**
     * Delivers a batch. The future completes when every record of the batch has been acknowledged, or
     * exceptionally when the sink gave up on some (those stay unacknowledged); callers use it to bound the
     * number of batches in flight.
     */
    CompletableFuture<Void> send(List<SinkRecord> batch);

    /**
     * Whether this sink keeps every batch it accepted until each record is delivered or dead-lettered, retrying by
     * itself, and fails a batch's future only once it is closed. A caller then need not keep a batch's documents for
     * a retry of its own after handing it over.
     */
    default boolean retriesUntilClosed() {
        return false;
    }

    @Override
    void close();
}

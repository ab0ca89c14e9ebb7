package io.vedetta.logs.sink.elasticsearch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The records of one batch still to be acknowledged; completes the batch's future at the last. */
final class Delivery {

    private final AtomicInteger remaining;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    Delivery(int records) {
        remaining = new AtomicInteger(records);
        if (records == 0) {
            future.complete(null);
        }
    }

    void recordDone() {
        if (remaining.decrementAndGet() == 0) {
            future.complete(null);
        }
    }
}

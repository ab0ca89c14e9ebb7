package io.vedetta.logs.buffer;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Turns acknowledgements that arrive in any order into an in-order commit: entries are registered in
 * source order, each with a marker (for a file: the offset just past the record), and the commit callback
 * receives the marker of the last entry of the longest acknowledged prefix. A file's saved position is
 * therefore never ahead of a record that has not been delivered.
 *
 * <p>Thread-safe: the source registers from its reader thread, sinks acknowledge from theirs. The callback
 * runs under this object's lock, in commit order, so it must be cheap.
 */
public final class OrderedFinalizer<T> {

    private final Consumer<T> onCommit;
    private final ArrayDeque<Entry<T>> pending = new ArrayDeque<>();

    public OrderedFinalizer(Consumer<T> onCommit) {
        this.onCommit = onCommit;
    }

    public synchronized Acknowledgement register(T marker) {
        Entry<T> entry = new Entry<>(this, marker);
        pending.addLast(entry);
        return entry;
    }

    /** Entries registered but not yet part of a committed prefix. */
    public synchronized int pending() {
        return pending.size();
    }

    private synchronized void acknowledged(Entry<T> entry) {
        if (entry.acknowledged) {
            return;
        }
        entry.acknowledged = true;
        T committed = null;
        while (!pending.isEmpty() && pending.peekFirst().acknowledged) {
            committed = pending.pollFirst().marker;
        }
        if (committed != null) {
            onCommit.accept(committed);
        }
    }

    private static final class Entry<T> implements Acknowledgement {
        private final OrderedFinalizer<T> owner;
        private final T marker;
        private boolean acknowledged;

        Entry(OrderedFinalizer<T> owner, T marker) {
            this.owner = owner;
            this.marker = marker;
        }

        @Override
        public void acknowledge() {
            owner.acknowledged(this);
        }
    }
}

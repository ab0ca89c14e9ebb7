package io.vedetta.agent.metrics.exposition;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Values by a range of bytes of a response, kept from one parse to the next: a parser looks up each line's metric
 * name and label set here by the bytes as written (the kubelet's text parser), or a series by its name and labels
 * (the pod scraper), so that a series seen in the previous scrape costs a hash and a comparison of bytes instead of
 * being decoded, validated and relabelled again. Entries not
 * looked up during a parse are dropped at its end ({@link #endParse}), so the cache holds what the last response
 * had and follows pod churn. Not thread-safe: one parse at a time.
 *
 * <p>A response mostly lists its series in the order of the last one, so a lookup first tries the entry that followed
 * the last one found in the order of the last parse, and searches the table only when that is not it: the entries
 * of a response are then read one after the other rather than from all over the heap (the lookups were the largest
 * cost of the pod scrapes in {@code scripts/bench remote-write}).
 */
public final class BytesKeyedCache<V> {

    private static final class Entry<V> {
        final byte[] key;
        final int hash;
        final V value;
        long seenIn;
        /** Where it was first looked up in the parse it was last looked up in ({@link #seenIn}). */
        int position;
        Entry<V> next;

        Entry(byte[] key, int hash, V value, long seenIn) {
            this.key = key;
            this.hash = hash;
            this.value = value;
            this.seenIn = seenIn;
        }
    }

    private Entry<V>[] table = newTable(1 << 10);
    private int size;
    private long parse;
    /** The entries of the last parse in the order they were first looked up, every one in the table. */
    private Entry<V>[] order = newTable(0);
    private int orderSize;
    /** Where the next lookup is expected in {@link #order}. */
    private int cursor;
    /** The entries of this parse in the order they were first looked up. */
    private Entry<V>[] nextOrder = newTable(0);
    private int nextOrderSize;

    /** Starts a parse: what is looked up or added from now on is kept by {@link #endParse}. */
    public void beginParse() {
        parse++;
        Entry<V>[] last = order;
        Arrays.fill(last, 0, orderSize, null);
        order = nextOrder;
        orderSize = nextOrderSize;
        nextOrder = last;
        nextOrderSize = 0;
        cursor = 0;
    }

    /** Drops the entries that the parse since {@link #beginParse} did not look up. */
    public void endParse() {
        endParse(null);
    }

    /** Drops the entries that the parse since {@link #beginParse} did not look up, each passed to {@code dropped}. */
    public void endParse(Consumer<? super V> dropped) {
        // The last parse's order may hold entries dropped now.
        Arrays.fill(order, 0, orderSize, null);
        orderSize = 0;
        cursor = 0;
        if (nextOrderSize == size) {
            // Every entry was looked up or added in this parse (each is in its order once): none to drop.
            return;
        }
        for (int i = 0; i < table.length; i++) {
            Entry<V> kept = null;
            for (Entry<V> e = table[i]; e != null; ) {
                Entry<V> next = e.next;
                if (e.seenIn == parse) {
                    e.next = kept;
                    kept = e;
                } else {
                    size--;
                    if (dropped != null) {
                        dropped.accept(e.value);
                    }
                }
                e = next;
            }
            table[i] = kept;
        }
    }

    /** Drops every entry, each passed to {@code dropped}. */
    public void clear(Consumer<? super V> dropped) {
        for (int i = 0; i < table.length; i++) {
            for (Entry<V> e = table[i]; e != null; e = e.next) {
                dropped.accept(e.value);
            }
            table[i] = null;
        }
        size = 0;
        Arrays.fill(order, 0, orderSize, null);
        orderSize = 0;
        Arrays.fill(nextOrder, 0, nextOrderSize, null);
        nextOrderSize = 0;
        cursor = 0;
    }

    /** Every value held, in no order. */
    public void forEach(Consumer<? super V> action) {
        for (Entry<V> head : table) {
            for (Entry<V> e = head; e != null; e = e.next) {
                action.accept(e.value);
            }
        }
    }

    public int size() {
        return size;
    }

    /**
     * The value for the bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code bytes}, or null;
     * {@code hash} is {@link io.vedetta.bytes.Words#hash} of those bytes.
     */
    public V get(byte[] bytes, int from, int to, int hash) {
        if (cursor < orderSize) {
            Entry<V> e = order[cursor];
            if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, bytes, from, to)) {
                cursor++;
                return found(e);
            }
        }
        for (Entry<V> e = table[hash & (table.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, bytes, from, to)) {
                if (e.seenIn == parse - 1) {
                    // In the last parse's order: the lookups after this one likely follow it there.
                    cursor = e.position + 1;
                }
                return found(e);
            }
        }
        return null;
    }

    private V found(Entry<V> e) {
        if (e.seenIn != parse) {
            e.seenIn = parse;
            remember(e);
        }
        return e.value;
    }

    /** Adds a first lookup of this parse to its order. */
    private void remember(Entry<V> e) {
        if (nextOrderSize == nextOrder.length) {
            nextOrder = Arrays.copyOf(nextOrder, Math.max(64, nextOrderSize * 2));
        }
        e.position = nextOrderSize;
        nextOrder[nextOrderSize++] = e;
    }

    /** Adds a value for bytes that {@link #get} did not find. */
    public void put(byte[] bytes, int from, int to, int hash, V value) {
        if (size >= table.length - (table.length >>> 2)) {
            grow();
        }
        Entry<V> e = new Entry<>(Arrays.copyOfRange(bytes, from, to), hash, value, parse);
        int slot = hash & (table.length - 1);
        e.next = table[slot];
        table[slot] = e;
        size++;
        remember(e);
    }

    private void grow() {
        Entry<V>[] old = table;
        table = newTable(old.length << 1);
        for (Entry<V> head : old) {
            for (Entry<V> e = head; e != null; ) {
                Entry<V> next = e.next;
                int slot = e.hash & (table.length - 1);
                e.next = table[slot];
                table[slot] = e;
                e = next;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> Entry<V>[] newTable(int length) {
        return (Entry<V>[]) new Entry<?>[length];
    }
}

package io.vedetta.agent.metrics.kubelet;

import java.util.Arrays;

/**
 * Values by a range of bytes of a response, kept from one parse to the next: the text parser looks up each
 * line's metric name and label set here by the bytes as written, so that a series seen in the previous scrape
 * costs a hash and a comparison of bytes instead of being decoded, validated and relabelled again. Entries not
 * looked up during a parse are dropped at its end ({@link #endParse}), so the cache holds what the last response
 * had and follows pod churn. Not thread-safe: one parse at a time.
 */
final class BytesKeyedCache<V> {

    private static final class Entry<V> {
        final byte[] key;
        final int hash;
        final V value;
        long seenIn;
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

    /** Starts a parse: what is looked up or added from now on is kept by {@link #endParse}. */
    void beginParse() {
        parse++;
    }

    /** Drops the entries that the parse since {@link #beginParse} did not look up. */
    void endParse() {
        for (int i = 0; i < table.length; i++) {
            Entry<V> kept = null;
            for (Entry<V> e = table[i]; e != null; ) {
                Entry<V> next = e.next;
                if (e.seenIn == parse) {
                    e.next = kept;
                    kept = e;
                } else {
                    size--;
                }
                e = next;
            }
            table[i] = kept;
        }
    }

    /**
     * The value for the bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code bytes}, or null;
     * {@code hash} is {@link io.vedetta.bytes.Words#hash} of those bytes.
     */
    V get(byte[] bytes, int from, int to, int hash) {
        for (Entry<V> e = table[hash & (table.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, bytes, from, to)) {
                e.seenIn = parse;
                return e.value;
            }
        }
        return null;
    }

    /** Adds a value for bytes that {@link #get} did not find. */
    void put(byte[] bytes, int from, int to, int hash, V value) {
        if (size >= table.length - (table.length >>> 2)) {
            grow();
        }
        Entry<V> e = new Entry<>(Arrays.copyOfRange(bytes, from, to), hash, value, parse);
        int slot = hash & (table.length - 1);
        e.next = table[slot];
        table[slot] = e;
        size++;
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

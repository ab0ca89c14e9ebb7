package io.vedetta.agent.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * What client_java's writers wrote for families that come back as the same snapshot instance scrape after scrape
 * (the pod state series, built again only when a pod changes), kept per format and name escaping so that {@link
 * ExpositionWriter} copies them instead of writing them again: on a full node the writers' share of the pod state
 * series was as much CPU as building them. Snapshots are immutable, so the same instance writes the same bytes. A
 * family is kept from the second write in a row that serves its instance, so that families made anew at every
 * scrape (the kubelet's histograms, the agent's own meters) are never copied into a buffer; it is dropped at the
 * first write of its format that does not serve it, and a format not asked for in the last {@value #IDLE_WRITES}
 * writes is dropped whole. Thread-safe: scrapes may overlap.
 */
public final class WrittenFamilies {

    /** Writes of other formats after which a format's families are dropped: a format asked for once, by hand. */
    static final int IDLE_WRITES = 16;

    private record Format(ExpositionFormatWriter writer, EscapingScheme escaping) {
    }

    /**
     * A format's families by snapshot instance (snapshots do not override {@code equals}), held weakly: an entry
     * never keeps its snapshot alive, so that the families made for one scrape are garbage once it is written, as
     * they were, rather than kept past a young collection into the old generation. A value's bytes are null while
     * it was served once.
     */
    private static final class Held {
        final Map<MetricSnapshot, Entry> entries = new WeakHashMap<>();
        long lastWrite;
    }

    private static final class Entry {
        byte[] bytes;
        long usedIn;
        /** Served by a write before the one that last looked it up. */
        boolean seenBefore;
    }

    private final Map<Format, Held> formats = new HashMap<>();
    private long writes;

    /** One write of a body in {@code writer}'s format with {@code escaping}: look families up, then {@link Write#end}. */
    synchronized Write begin(ExpositionFormatWriter writer, EscapingScheme escaping) {
        long write = ++writes;
        formats.values().removeIf(held -> write - held.lastWrite > IDLE_WRITES);
        Held held = formats.computeIfAbsent(new Format(writer, escaping), f -> new Held());
        held.lastWrite = write;
        return new Write(held, write);
    }

    /** How many families are held, over every format. */
    public synchronized int held() {
        return formats.values().stream().mapToInt(h -> (int) h.entries.values().stream()
                .filter(e -> e.bytes != null).count()).sum();
    }

    /** The families of one body as it is written. */
    final class Write {
        private final Held held;
        private final long write;

        private Write(Held held, long write) {
            this.held = held;
            this.write = write;
        }

        /**
         * The bytes {@code family} was written as in this format, if held; otherwise null, and {@link #keeps} says
         * whether to hand what it is written as to {@link #written}.
         */
        byte[] bytes(MetricSnapshot family) {
            synchronized (WrittenFamilies.this) {
                Entry e = held.entries.get(family);
                if (e == null) {
                    e = new Entry();
                    held.entries.put(family, e);
                } else if (e.usedIn < write) {
                    e.seenBefore = true;
                }
                e.usedIn = write;
                return e.bytes;
            }
        }

        /** Whether {@code family}, looked up and not held, was served by an earlier write too: worth keeping. */
        boolean keeps(MetricSnapshot family) {
            synchronized (WrittenFamilies.this) {
                Entry e = held.entries.get(family);
                return e != null && e.bytes == null && e.seenBefore;
            }
        }

        /** Keeps what {@code family} was written as, in this write's format. */
        void written(MetricSnapshot family, byte[] bytes) {
            synchronized (WrittenFamilies.this) {
                Entry e = held.entries.get(family);
                if (e != null) {
                    e.bytes = Objects.requireNonNull(bytes);
                }
            }
        }

        /** Drops the families this write did not serve. */
        void end() {
            synchronized (WrittenFamilies.this) {
                held.entries.values().removeIf(e -> e.usedIn < write);
            }
        }
    }
}

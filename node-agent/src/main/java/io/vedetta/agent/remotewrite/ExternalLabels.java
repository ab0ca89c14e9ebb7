package io.vedetta.agent.remotewrite;

import io.vedetta.agent.protobuf.ProtoWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * An endpoint's external labels, merged into a series' labels ({@link SeriesLabels}) while a request is encoded: each
 * goes in its place by name, unless the series has a label of that name, which wins (as in Prometheus). Merging
 * while encoding, rather than keeping a copy of every series' labels with them added, saves a copy of every label
 * set per endpoint: a third of the agent's heap in {@code scripts/bench remote-write}, where the copies filled the
 * old generation and every collection became a full one. Not thread-safe (its scratch space): one per thread.
 */
final class ExternalLabels {

    private final byte[][] names;
    /** Each label as {@link SeriesLabels} encodes it: the {@code Label} field, tag and length included. */
    private final byte[][] encoded;
    private final int[] insertAt;

    /** The labels with an empty value are left out, as {@link SeriesLabels#encode} would leave them out. */
    ExternalLabels(Map<String, String> labels) {
        Map<String, String> sorted = new TreeMap<>();
        labels.forEach((name, value) -> {
            if (!value.isEmpty()) {
                sorted.put(name, value);
            }
        });
        names = new byte[sorted.size()][];
        encoded = new byte[sorted.size()][];
        insertAt = new int[sorted.size()];
        int i = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            names[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
            encoded[i] = SeriesLabels.encode(Map.of(e.getKey(), e.getValue()));
            i++;
        }
    }

    boolean isEmpty() {
        return names.length == 0;
    }

    /** A {@link #plan} for labels too long to plan, or more than two external labels: they are searched each time. */
    static final int UNPLANNED = -1;
    /** In a plan, an external label the series has. */
    private static final int SKIP = 0x7fff;

    /**
     * Where each external label goes in {@code labels}, as one int a series keeps ({@link Series#externalPlan}) so
     * that its labels are searched once rather than at every send: the offset of each of up to two external labels
     * in 15 bits, {@code SKIP} for one the series has; {@link #UNPLANNED} when that does not fit.
     */
    int plan(byte[] labels) {
        if (names.length > 2 || labels.length >= SKIP) {
            return UNPLANNED;
        }
        find(labels);
        int plan = 0;
        for (int i = 0; i < names.length; i++) {
            plan |= (insertAt[i] < 0 ? SKIP : insertAt[i]) << (16 * i);
        }
        return plan;
    }

    /**
     * The length of {@code labels} with these merged in where {@code plan} (from {@link #plan}, or {@link
     * #UNPLANNED}) says; {@link #write} then writes them.
     */
    int mergedLength(byte[] labels, int plan) {
        if (names.length == 0) {
            return labels.length;
        }
        if (plan == UNPLANNED) {
            find(labels);
        } else {
            for (int i = 0; i < names.length; i++) {
                int at = plan >>> (16 * i) & SKIP;
                insertAt[i] = at == SKIP ? -1 : at;
            }
        }
        int length = labels.length;
        for (int i = 0; i < names.length; i++) {
            if (insertAt[i] >= 0) {
                length += encoded[i].length;
            }
        }
        return length;
    }

    /**
     * Finds where each external label goes: before the first label of the series whose name sorts after it, nowhere
     * (-1) when the series has its name.
     */
    private void find(byte[] labels) {
        int next = 0;
        int at = 0;
        while (at < labels.length && next < names.length) {
            // A Label: tag, length, then its name (field 1: tag, length, bytes) and its value (field 2).
            int pairStart = at;
            at++;
            int pairLength = 0;
            int shift = 0;
            byte b;
            do {
                b = labels[at++];
                pairLength |= (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            int pairEnd = at + pairLength;
            at++;
            int nameLength = 0;
            shift = 0;
            do {
                b = labels[at++];
                nameLength |= (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            int order;
            while (next < names.length
                    && (order = Arrays.compareUnsigned(names[next], 0, names[next].length, labels, at,
                            at + nameLength)) <= 0) {
                insertAt[next++] = order == 0 ? -1 : pairStart;
            }
            at = pairEnd;
        }
        for (; next < names.length; next++) {
            insertAt[next] = labels.length;
        }
    }

    /** Writes {@code labels} with these merged in, where the last {@link #mergedLength} put them. */
    void write(ProtoWriter out, byte[] labels) {
        int from = 0;
        for (int i = 0; i < names.length; i++) {
            int at = insertAt[i];
            if (at < 0) {
                continue;
            }
            out.bytes(labels, from, at - from);
            out.bytes(encoded[i]);
            from = at;
        }
        out.bytes(labels, from, labels.length - from);
    }
}

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
 * old generation and every collection became a full one. Not thread-safe (its scratch space): one per shard.
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

    /**
     * The length of {@code labels} with these merged in; {@link #write} then writes them. Finds where each goes:
     * before the first label of the series whose name sorts after it, nowhere when the series has its name.
     */
    int mergedLength(byte[] labels) {
        if (names.length == 0) {
            return labels.length;
        }
        int length = labels.length;
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
                if (order == 0) {
                    insertAt[next] = -1;
                } else {
                    insertAt[next] = pairStart;
                    length += encoded[next].length;
                }
                next++;
            }
            at = pairEnd;
        }
        for (; next < names.length; next++) {
            insertAt[next] = labels.length;
            length += encoded[next].length;
        }
        return length;
    }

    /** Writes {@code labels} with these merged in, where the last {@link #mergedLength} of them found. */
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

package io.vedetta.agent.remotewrite;

import io.vedetta.agent.protobuf.ProtoReader;
import io.vedetta.agent.protobuf.ProtoWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A series' labels in the one form the agent keeps them: sorted by name, encoded as remote_write's repeated
 * {@code Label labels = 1} field of a {@code TimeSeries}. The same bytes are the series' identity in the write-ahead
 * log (equal label sets, equal bytes), its record there, and what a {@code WriteRequest} carries.
 */
public final class SeriesLabels {

    private SeriesLabels() {
    }

    /** Encodes labels given in any order; empty values are left out, as Prometheus has no empty labels. */
    public static byte[] encode(Map<String, String> labels) {
        ProtoWriter w = new ProtoWriter(64 * Math.max(1, labels.size()));
        new TreeMap<>(labels).forEach((name, value) -> {
            if (!value.isEmpty()) {
                int nameBytes = utf8Length(name);
                int valueBytes = utf8Length(value);
                w.tag(1, ProtoWriter.LENGTH_DELIMITED);
                w.varint(1 + ProtoWriter.varintSize(nameBytes) + nameBytes + 1 + ProtoWriter.varintSize(valueBytes)
                        + valueBytes);
                w.string(1, name);
                w.string(2, value);
            }
        });
        return w.toByteArray();
    }

    /** Calls {@code action} with each label, in order of name. */
    public static void forEach(byte[] encoded, BiConsumer<String, String> action) {
        ProtoReader r = new ProtoReader(encoded, 0, encoded.length);
        while (!r.atEnd()) {
            r.varint();
            int end = r.length() + r.position();
            String name = "";
            String value = "";
            while (r.position() < end) {
                long tag = r.varint();
                int length = r.length();
                if (tag == (1 << 3 | ProtoWriter.LENGTH_DELIMITED)) {
                    name = r.string(length);
                } else if (tag == (2 << 3 | ProtoWriter.LENGTH_DELIMITED)) {
                    value = r.string(length);
                } else {
                    r.skip(length);
                }
            }
            action.accept(name, value);
        }
    }

    public static Map<String, String> decode(byte[] encoded) {
        Map<String, String> out = new TreeMap<>();
        forEach(encoded, out::put);
        return out;
    }

    /** {@code {a="1", b="2"}}, for logs and errors. */
    public static String toString(byte[] encoded) {
        StringBuilder b = new StringBuilder("{");
        forEach(encoded, (name, value) -> b.append(b.length() > 1 ? ", " : "").append(name).append("=\"")
                .append(value).append('"'));
        return b.append('}').toString();
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}

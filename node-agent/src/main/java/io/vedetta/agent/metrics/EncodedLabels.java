package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A label set with its bytes in each exposition format, made the first time a scrape asks for that format and kept
 * as long as its series come back: the text formats' {@code {name="value",...}} (empty without labels) and
 * protobuf's {@code LabelPair} fields of a {@code Metric}. The kubelet sources make one per distinct relabelled label
 * set and keep it between scrapes, so that writing a series costs copying these bytes and formatting its value
 * ({@link PassThroughFamily}).
 *
 * <p>Each format's bytes are made on first use, not up front: a Prometheus asks in one format (text, or protobuf
 * when it wants native histograms), and on a full node the other format's bytes were ~4 MB of old generation kept
 * for nothing, which the serial collector turns into 10 MB of heap (it sizes the heap on what stays live). Fields
 * are volatile because scrapes run on several threads: two may make the same bytes once each, which is harmless,
 * but none may see an array before its contents.
 */
public final class EncodedLabels {

    private final Labels labels;
    private volatile byte[] text;
    private volatile byte[] protobuf;

    public EncodedLabels(Labels labels) {
        this.labels = labels;
    }

    public Labels labels() {
        return labels;
    }

    byte[] text() {
        byte[] bytes = text;
        if (bytes == null) {
            bytes = text(labels);
            text = bytes;
        }
        return bytes;
    }

    byte[] protobuf() {
        byte[] bytes = protobuf;
        if (bytes == null) {
            bytes = protobuf(labels);
            protobuf = bytes;
        }
        return bytes;
    }

    /** As client_java's text writers write a label set: values escaped ({@code \\}, {@code \"}, {@code \n}). */
    private static byte[] text(Labels labels) {
        if (labels.isEmpty()) {
            return new byte[0];
        }
        StringBuilder s = new StringBuilder(32 * labels.size());
        s.append('{');
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(labels.getPrometheusName(i)).append("=\"");
            String value = labels.getValue(i);
            for (int j = 0; j < value.length(); j++) {
                char ch = value.charAt(j);
                switch (ch) {
                    case '\\' -> s.append("\\\\");
                    case '"' -> s.append("\\\"");
                    case '\n' -> s.append("\\n");
                    default -> s.append(ch);
                }
            }
            s.append('"');
        }
        s.append('}');
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Field 1 of {@code io.prometheus.client.Metric} once per label: a {@code LabelPair} of name (1) and value (2). */
    private static byte[] protobuf(Labels labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(48 * labels.size());
        for (int i = 0; i < labels.size(); i++) {
            byte[] name = labels.getPrometheusName(i).getBytes(StandardCharsets.UTF_8);
            byte[] value = labels.getValue(i).getBytes(StandardCharsets.UTF_8);
            int pair = 1 + Protobuf.varintSize(name.length) + name.length + 1 + Protobuf.varintSize(value.length)
                    + value.length;
            out.write(Protobuf.tag(1, Protobuf.LENGTH_DELIMITED));
            Protobuf.writeVarint(out, pair);
            Protobuf.writeField(out, 1, name);
            Protobuf.writeField(out, 2, value);
        }
        return out.toByteArray();
    }
}

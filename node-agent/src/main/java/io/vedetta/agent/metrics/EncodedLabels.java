package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A label set with its bytes in every exposition format, made once and kept as long as its series come back: the
 * text formats' {@code {name="value",...}} (empty without labels) and protobuf's {@code LabelPair} fields of a
 * {@code Metric}. The kubelet sources make one per distinct relabelled label set and keep it between scrapes, so
 * that writing a series costs copying these bytes and formatting its value ({@link PassThroughFamily}).
 */
public final class EncodedLabels {

    private final Labels labels;
    final byte[] text;
    final byte[] protobuf;

    public EncodedLabels(Labels labels) {
        this.labels = labels;
        this.text = text(labels);
        this.protobuf = protobuf(labels);
    }

    public Labels labels() {
        return labels;
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

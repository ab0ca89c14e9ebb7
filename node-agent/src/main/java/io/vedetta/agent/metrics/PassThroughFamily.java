package io.vedetta.agent.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import io.vedetta.agent.metrics.exposition.TextLexer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A family passed through from the kubelet (a counter, gauge or untyped family of its text response), held as
 * encoded series rather than as a client_java snapshot: each series is its {@link EncodedLabels}, kept between
 * scrapes, and its value. Writing it in any format copies the series' bytes and formats the values, byte for byte
 * as client_java's writers write the snapshot {@link #toSnapshot} gives (the golden tests hold them to it); on a
 * full node that is a few milliseconds where building the snapshots and writing them cost tens.
 *
 * <p>Series are in client_java's order (by labels) and distinct, as a snapshot's would be. Immutable.
 */
public final class PassThroughFamily {

    /** How the family is exposed; a counter's name ends in {@code _total}. */
    public enum Kind { COUNTER, GAUGE, UNKNOWN }

    private static final byte[] HELP = ascii("# HELP ");
    private static final byte[] TYPE = ascii("# TYPE ");

    private final Kind kind;
    private final String name;
    private final String help;
    private final String familyName;
    private final EncodedLabels[] series;
    private final double[] values;

    /**
     * @param name the name its samples carry (a counter's with {@code _total})
     * @param help null when the kubelet gave none
     * @param series distinct, in the order of client_java's {@code Labels.compareTo}; not copied
     * @throws IllegalArgumentException for a name client_java refuses, as building its snapshot would
     */
    public PassThroughFamily(Kind kind, String name, String help, EncodedLabels[] series, double[] values) {
        if (kind == Kind.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter passed through must be named *_total: " + name);
        }
        if (series.length != values.length) {
            throw new IllegalArgumentException(series.length + " series and " + values.length + " values");
        }
        this.kind = kind;
        this.name = name;
        this.help = help;
        this.series = series;
        this.values = values;
        this.familyName = snapshot(0).getMetadata().getPrometheusName();
    }

    /** client_java's name of the family, which orders and identifies families: a counter's without {@code _total}. */
    public String familyName() {
        return familyName;
    }

    /** The name its samples carry. */
    public String exposedName() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public int size() {
        return series.length;
    }

    /** This family under the same name as untyped: a counter whose client_java name another family has. */
    public PassThroughFamily asUntyped() {
        return new PassThroughFamily(Kind.UNKNOWN, name, help, series, values);
    }

    /** The family as the client_java snapshot it stands for, with the same label instances. */
    public MetricSnapshot toSnapshot() {
        return snapshot(series.length);
    }

    private MetricSnapshot snapshot(int points) {
        return switch (kind) {
            case COUNTER -> {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                for (int i = 0; i < points; i++) {
                    b.dataPoint(new CounterDataPointSnapshot(values[i], series[i].labels(), null, 0, 0));
                }
                yield b.build();
            }
            case GAUGE -> {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
                for (int i = 0; i < points; i++) {
                    b.dataPoint(new GaugeDataPointSnapshot(values[i], series[i].labels(), null, 0));
                }
                yield b.build();
            }
            case UNKNOWN -> {
                UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(name).help(help);
                for (int i = 0; i < points; i++) {
                    b.dataPoint(new UnknownDataPointSnapshot(values[i], series[i].labels(), null, 0));
                }
                yield b.build();
            }
        };
    }

    /** In the Prometheus text format 0.0.4, as client_java's {@code PrometheusTextFormatWriter} writes it. */
    void writeText(ByteSink out) throws IOException {
        if (series.length == 0) {
            return;
        }
        byte[] nameBytes = ascii(name);
        if (help != null && !help.isEmpty()) {
            out.write(HELP);
            out.write(nameBytes);
            out.write(' ');
            out.write(escape(help, false));
            out.write('\n');
        }
        out.write(TYPE);
        out.write(nameBytes);
        out.write(ascii(switch (kind) {
            case COUNTER -> " counter\n";
            case GAUGE -> " gauge\n";
            case UNKNOWN -> " untyped\n";
        }));
        writeSamples(out, nameBytes);
    }

    /** In OpenMetrics 1.0 (without {@code # EOF}), as client_java's {@code OpenMetricsTextFormatWriter} writes it. */
    void writeOpenMetrics(ByteSink out) throws IOException {
        if (series.length == 0) {
            return;
        }
        byte[] metadataName = ascii(familyName);
        out.write(TYPE);
        out.write(metadataName);
        out.write(ascii(switch (kind) {
            case COUNTER -> " counter\n";
            case GAUGE -> " gauge\n";
            case UNKNOWN -> " unknown\n";
        }));
        if (help != null && !help.isEmpty()) {
            out.write(HELP);
            out.write(metadataName);
            out.write(' ');
            out.write(escape(help, true));
            out.write('\n');
        }
        writeSamples(out, ascii(name));
    }

    private void writeSamples(ByteSink out, byte[] nameBytes) throws IOException {
        for (int i = 0; i < series.length; i++) {
            out.write(nameBytes);
            out.write(series[i].text());
            out.write(' ');
            writeDouble(out, values[i]);
            out.write('\n');
        }
    }

    /**
     * Hands each sample to {@code listener} as {@link TextLexer} hands over the lines {@link #writeText} writes: the
     * same bytes of name and label set (side by side in one array, valid during the call), the same value, without
     * the text being written and read back. The agent's own scrape reads its kubelet series so; one sample the
     * listener refuses is {@link TextLexer.Listener#skipped}, as the lexer skips a line.
     */
    public void replay(TextLexer.Listener listener) {
        if (series.length == 0) {
            return;
        }
        byte[] nameBytes = ascii(name);
        if (help != null && !help.isEmpty()) {
            listener.help(name, help);
        }
        listener.type(name, switch (kind) {
            case COUNTER -> "counter";
            case GAUGE -> "gauge";
            case UNKNOWN -> "untyped";
        });
        int longest = 0;
        for (EncodedLabels s : series) {
            longest = Math.max(longest, s.text().length);
        }
        byte[] line = Arrays.copyOf(nameBytes, nameBytes.length + longest);
        for (int i = 0; i < series.length; i++) {
            byte[] text = series[i].text();
            System.arraycopy(text, 0, line, nameBytes.length, text.length);
            // As text, any NaN reads back as the one NaN.
            double value = Double.isNaN(values[i]) ? Double.NaN : values[i];
            try {
                listener.sample(line, 0, nameBytes.length, nameBytes.length, nameBytes.length + text.length, value,
                        TextLexer.NO_TIMESTAMP);
            } catch (IllegalArgumentException e) {
                listener.skipped(name + new String(text, StandardCharsets.UTF_8) + ": " + e.getMessage());
            }
        }
    }

    private static void writeDouble(ByteSink out, double value) throws IOException {
        if (value == Double.POSITIVE_INFINITY) {
            out.writeAscii("+Inf");
        } else if (value == Double.NEGATIVE_INFINITY) {
            out.writeAscii("-Inf");
        } else {
            out.writeAscii(Double.toString(value));
        }
    }

    /**
     * As one length-delimited {@code io.prometheus.client.MetricFamily}, as client_java's {@code
     * PrometheusProtobufWriter} writes it: name (1), help (2) when there is one, type (3), then each series as a
     * {@code Metric} (4) of its label pairs and its value in the field of its type.
     */
    void writeProtobuf(ByteSink out) throws IOException {
        if (series.length == 0) {
            return;
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] helpBytes = help == null ? null : help.getBytes(StandardCharsets.UTF_8);
        int valueField = switch (kind) {
            case COUNTER -> 3;
            case GAUGE -> 2;
            case UNKNOWN -> 5;
        };
        int type = switch (kind) {
            case COUNTER -> 0;
            case GAUGE -> 1;
            case UNKNOWN -> 3;
        };
        // A value is its type's message holding one double: tag, length 9, tag of field 1, 8 bytes.
        int valueBytes = 1 + 1 + 1 + Long.BYTES;
        long size = 1 + Protobuf.varintSize(nameBytes.length) + nameBytes.length + 2;
        if (helpBytes != null) {
            size += 1 + Protobuf.varintSize(helpBytes.length) + helpBytes.length;
        }
        for (EncodedLabels s : series) {
            int metric = s.protobuf().length + valueBytes;
            size += 1 + Protobuf.varintSize(metric) + metric;
        }
        out.writeVarint(size);
        out.write(Protobuf.tag(1, Protobuf.LENGTH_DELIMITED));
        out.writeVarint(nameBytes.length);
        out.write(nameBytes);
        if (helpBytes != null) {
            out.write(Protobuf.tag(2, Protobuf.LENGTH_DELIMITED));
            out.writeVarint(helpBytes.length);
            out.write(helpBytes);
        }
        out.write(Protobuf.tag(3, Protobuf.VARINT));
        out.write(type);
        for (int i = 0; i < series.length; i++) {
            byte[] labels = series[i].protobuf();
            out.write(Protobuf.tag(4, Protobuf.LENGTH_DELIMITED));
            out.writeVarint(labels.length + valueBytes);
            out.write(labels);
            out.write(Protobuf.tag(valueField, Protobuf.LENGTH_DELIMITED));
            out.write(1 + Long.BYTES);
            out.write(Protobuf.tag(1, Protobuf.FIXED64));
            out.writeFixed64(Double.doubleToRawLongBits(values[i]));
        }
    }

    /** HELP text as client_java escapes it: backslash and newline, and in OpenMetrics the double quote too. */
    private static byte[] escape(String help, boolean openMetrics) {
        StringBuilder s = new StringBuilder(help.length() + 8);
        for (int i = 0; i < help.length(); i++) {
            char ch = help.charAt(i);
            switch (ch) {
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '"' -> s.append(openMetrics ? "\\\"" : "\"");
                default -> s.append(ch);
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

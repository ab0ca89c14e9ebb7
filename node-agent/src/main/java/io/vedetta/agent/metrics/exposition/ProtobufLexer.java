package io.vedetta.agent.metrics.exposition;

import io.vedetta.agent.protobuf.ProtoReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the Prometheus protobuf exposition format (length-delimited {@code io.prometheus.client.MetricFamily}
 * messages) and reports it to a {@link TextLexer.Listener} as the text format would: each sample with the bytes of
 * its name and label set written as text ({@code name{a="1",le="0.5"}}), so that readers recognise and decode a series
 * one way whatever the format. Histograms and summaries become their classic series ({@code _bucket} with {@code le},
 * quantiles, {@code _sum}, {@code _count}), bounds written as Prometheus writes them ({@code 1.0}, {@code +Inf}); native
 * histogram buckets are left out. A message that ends early was cut short ({@link EOFException}).
 */
public final class ProtobufLexer {

    private static final String[] TYPES = {"counter", "gauge", "summary", "untyped", "histogram", "gaugehistogram"};

    private byte[] message = new byte[1 << 16];
    private byte[] key = new byte[256];
    private int keyLength;

    private record Label(String name, String value) {
    }

    /** Reads {@code in} to its end. */
    public void read(InputStream in, TextLexer.Listener listener) throws IOException {
        int number = 0;
        while (true) {
            long length = lengthPrefix(in);
            if (length < 0) {
                return;
            }
            number++;
            if (length > Integer.MAX_VALUE - 8) {
                throw new IOException("metric family " + number + " claims " + length + " bytes");
            }
            if (message.length < length) {
                message = new byte[(int) Math.max(length, message.length * 2L)];
            }
            if (in.readNBytes(message, 0, (int) length) < length) {
                throw new EOFException("the body ends inside metric family " + number + ": the response was cut short");
            }
            try {
                family(listener, new ProtoReader(message, 0, (int) length));
            } catch (IllegalArgumentException e) {
                listener.skipped("metric family " + number + ": " + e.getMessage());
            }
        }
    }

    /** The next message's length, or -1 at the end of the body (between messages). */
    private static long lengthPrefix(InputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                if (shift == 0) {
                    return -1;
                }
                throw new EOFException("the body ends inside a length prefix: the response was cut short");
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("a length prefix longer than ten bytes");
    }

    private void family(TextLexer.Listener listener, ProtoReader r) {
        String name = null;
        String help = null;
        int type = 3;
        List<int[]> metrics = new ArrayList<>();
        while (!r.atEnd()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == 1 && wire == 2) {
                name = r.string(r.length());
            } else if (field == 2 && wire == 2) {
                help = r.string(r.length());
            } else if (field == 3 && wire == 0) {
                type = (int) r.varint();
            } else if (field == 4 && wire == 2) {
                int length = r.length();
                metrics.add(new int[] {r.position(), r.position() + length});
                r.skip(length);
            } else {
                r.skipField(wire);
            }
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a metric family without a name");
        }
        if (type < 0 || type >= TYPES.length) {
            throw new IllegalArgumentException("unknown type " + type + " of " + name);
        }
        if (help != null) {
            listener.help(name, help);
        }
        listener.type(name, TYPES[type]);
        for (int[] m : metrics) {
            try {
                metric(listener, name, type, new ProtoReader(message, m[0], m[1]));
            } catch (IllegalArgumentException e) {
                listener.skipped("a sample of " + name + ": " + e.getMessage());
            }
        }
    }

    private void metric(TextLexer.Listener listener, String name, int type, ProtoReader r) {
        List<Label> labels = new ArrayList<>();
        long timestamp = TextLexer.NO_TIMESTAMP;
        int[] value = null;
        int valueField = switch (type) {
            case 0 -> 3;
            case 1 -> 2;
            case 2 -> 4;
            case 4, 5 -> 7;
            default -> 5;
        };
        while (!r.atEnd()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == 1 && wire == 2) {
                labels.add(label(r, r.length()));
            } else if (field == 6 && wire == 0) {
                timestamp = r.varint();
            } else if (field == valueField && wire == 2) {
                int length = r.length();
                value = new int[] {r.position(), r.position() + length};
                r.skip(length);
            } else {
                r.skipField(wire);
            }
        }
        if (value == null) {
            return;
        }
        ProtoReader v = new ProtoReader(message, value[0], value[1]);
        switch (type) {
            case 2 -> summary(listener, name, labels, v, timestamp);
            case 4, 5 -> histogram(listener, name, labels, v, timestamp, type == 5);
            default -> sample(listener, name, labels, null, null, firstDouble(v), timestamp);
        }
    }

    private static Label label(ProtoReader r, int length) {
        int end = r.position() + length;
        String name = "";
        String value = "";
        while (r.position() < end) {
            long tag = r.varint();
            if (tag == (1 << 3 | 2)) {
                name = r.string(r.length());
            } else if (tag == (2 << 3 | 2)) {
                value = r.string(r.length());
            } else {
                r.skipField((int) (tag & 7));
            }
        }
        return new Label(name, value);
    }

    /** The value of a Gauge, Counter or Untyped message: its field 1. */
    private static double firstDouble(ProtoReader r) {
        double value = 0;
        while (!r.atEnd()) {
            long tag = r.varint();
            if (tag == (1 << 3 | 1)) {
                value = r.doubleValue();
            } else {
                r.skipField((int) (tag & 7));
            }
        }
        return value;
    }

    private void summary(TextLexer.Listener listener, String name, List<Label> labels, ProtoReader r, long ts) {
        double count = 0;
        double sum = 0;
        while (!r.atEnd()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            if (tag == (1 << 3)) {
                count = unsigned(r.varint());
            } else if (tag == (2 << 3 | 1)) {
                sum = r.doubleValue();
            } else if (field == 3 && (tag & 7) == 2) {
                int end = r.position() + r.length();
                double quantile = 0;
                double value = 0;
                while (r.position() < end) {
                    long t = r.varint();
                    if (t == (1 << 3 | 1)) {
                        quantile = r.doubleValue();
                    } else if (t == (2 << 3 | 1)) {
                        value = r.doubleValue();
                    } else {
                        r.skipField((int) (t & 7));
                    }
                }
                sample(listener, name, labels, "quantile", format(quantile), value, ts);
            } else {
                r.skipField((int) (tag & 7));
            }
        }
        sample(listener, name + "_sum", labels, null, null, sum, ts);
        sample(listener, name + "_count", labels, null, null, count, ts);
    }

    private void histogram(TextLexer.Listener listener, String name, List<Label> labels, ProtoReader r, long ts,
            boolean gauge) {
        double count = 0;
        double countFloat = Double.NaN;
        double sum = 0;
        boolean infinity = false;
        List<double[]> buckets = new ArrayList<>();
        while (!r.atEnd()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            if (tag == (1 << 3)) {
                count = unsigned(r.varint());
            } else if (tag == (4 << 3 | 1)) {
                countFloat = r.doubleValue();
            } else if (tag == (2 << 3 | 1)) {
                sum = r.doubleValue();
            } else if (field == 3 && (tag & 7) == 2) {
                int end = r.position() + r.length();
                double cumulative = 0;
                double cumulativeFloat = Double.NaN;
                double bound = 0;
                while (r.position() < end) {
                    long t = r.varint();
                    if (t == (1 << 3)) {
                        cumulative = unsigned(r.varint());
                    } else if (t == (4 << 3 | 1)) {
                        cumulativeFloat = r.doubleValue();
                    } else if (t == (2 << 3 | 1)) {
                        bound = r.doubleValue();
                    } else {
                        r.skipField((int) (t & 7));
                    }
                }
                buckets.add(new double[] {bound, Double.isNaN(cumulativeFloat) ? cumulative : cumulativeFloat});
            } else {
                r.skipField((int) (tag & 7));
            }
        }
        double total = Double.isNaN(countFloat) ? count : countFloat;
        for (double[] b : buckets) {
            infinity |= b[0] == Double.POSITIVE_INFINITY;
            sample(listener, name + "_bucket", labels, "le", format(b[0]), b[1], ts);
        }
        if (!infinity) {
            sample(listener, name + "_bucket", labels, "le", "+Inf", total, ts);
        }
        sample(listener, name + (gauge ? "_gsum" : "_sum"), labels, null, null, sum, ts);
        sample(listener, name + (gauge ? "_gcount" : "_count"), labels, null, null, total, ts);
    }

    private static double unsigned(long value) {
        return value >= 0 ? value : (value >>> 1) * 2.0 + (value & 1);
    }

    /** Writes the sample's name and labels as the text format would, and reports it. */
    private void sample(TextLexer.Listener listener, String name, List<Label> labels, String extraName,
            String extraValue, double value, long ts) {
        keyLength = 0;
        append(name);
        int nameEnd = keyLength;
        if (!labels.isEmpty() || extraName != null) {
            append("{");
            boolean first = true;
            for (Label l : labels) {
                first = pair(first, l.name(), l.value());
            }
            if (extraName != null) {
                pair(first, extraName, extraValue);
            }
            append("}");
        }
        listener.sample(key, 0, nameEnd, nameEnd, keyLength, value, ts);
    }

    private boolean pair(boolean first, String name, String value) {
        if (!first) {
            append(",");
        }
        append(name);
        append("=\"");
        if (value.indexOf('\\') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            append(value);
            append("\"");
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> append("\\\\");
                case '"' -> append("\\\"");
                case '\n' -> append("\\n");
                default -> append(String.valueOf(c));
            }
        }
        append("\"");
        return false;
    }

    private void append(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (keyLength + b.length > key.length) {
            key = Arrays.copyOf(key, Math.max(key.length * 2, keyLength + b.length));
        }
        System.arraycopy(b, 0, key, keyLength, b.length);
        keyLength += b.length;
    }

    /**
     * A bound as Prometheus writes one read from protobuf (Go's shortest {@code %v}, with {@code .0} added to a whole
     * number): {@code 0.5}, {@code 1.0}, {@code 1e+06}, {@code +Inf}.
     */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0 ? "-0" : "0") + ".0";
        }
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        int precision = 6;
        if (precision > digits.length() && digits.length() >= exponent + 1) {
            precision = digits.length();
        }
        if (exponent < -4 || exponent >= precision) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                    + Math.abs(exponent);
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}

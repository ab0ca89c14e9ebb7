package io.vedetta.agent.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@link ServedSeries} in the format client_java's content negotiation chose: the families in client_java's
 * order (by name), the snapshots by client_java's writer, the passed-through kubelet families by {@link
 * PassThroughFamily} itself, so that the body is byte for byte what client_java's writer would write for {@link
 * ServedSeries#materialized}. A format or name escaping that the passed-through families do not write themselves
 * (OpenMetrics 2, {@code escaping=dots}, which rewrites every underscore) is written from the materialized model.
 */
public final class ExpositionWriter {

    private enum Format { TEXT, OPENMETRICS, PROTOBUF }

    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

    private ExpositionWriter() {
    }

    public static void write(OutputStream out, ServedSeries exposition, ExpositionFormatWriter writer,
            EscapingScheme escaping) throws IOException {
        Format format = format(writer);
        if (format == null || escaping == EscapingScheme.DOTS_ESCAPING || exposition.passThrough().isEmpty()) {
            writer.write(out, exposition.materialized(), escaping);
            return;
        }
        ByteSink sink = new ByteSink(out);
        List<PassThroughFamily> passThrough = exposition.passThrough();
        List<MetricSnapshot> run = new ArrayList<>();
        int next = 0;
        for (MetricSnapshot snapshot : exposition.snapshots()) {
            String name = snapshot.getMetadata().getPrometheusName();
            if (next < passThrough.size() && passThrough.get(next).familyName().compareTo(name) < 0) {
                writeRun(out, sink, run, writer, format, escaping);
                while (next < passThrough.size() && passThrough.get(next).familyName().compareTo(name) < 0) {
                    write(sink, passThrough.get(next++), format);
                }
            }
            run.add(snapshot);
        }
        writeRun(out, sink, run, writer, format, escaping);
        while (next < passThrough.size()) {
            write(sink, passThrough.get(next++), format);
        }
        if (format == Format.OPENMETRICS) {
            sink.write(EOF);
        }
        sink.flush();
    }

    private static Format format(ExpositionFormatWriter writer) {
        if (writer instanceof PrometheusTextFormatWriter) {
            return Format.TEXT;
        }
        if (writer instanceof OpenMetricsTextFormatWriter) {
            return Format.OPENMETRICS;
        }
        if (writer instanceof PrometheusProtobufWriter) {
            return Format.PROTOBUF;
        }
        return null;
    }

    private static void write(ByteSink sink, PassThroughFamily family, Format format) throws IOException {
        switch (format) {
            case TEXT -> family.writeText(sink);
            case OPENMETRICS -> family.writeOpenMetrics(sink);
            case PROTOBUF -> family.writeProtobuf(sink);
        }
    }

    /**
     * Writes the snapshots gathered since the last passed-through family with client_java's writer, which ends an
     * OpenMetrics body with {@code # EOF} each time it is called: that is left out here and written once at the end.
     */
    private static void writeRun(OutputStream out, ByteSink sink, List<MetricSnapshot> run,
            ExpositionFormatWriter writer, Format format, EscapingScheme escaping) throws IOException {
        if (run.isEmpty()) {
            return;
        }
        MetricSnapshots snapshots = new MetricSnapshots(run);
        run.clear();
        if (format == Format.OPENMETRICS) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            writer.write(buffer, snapshots, escaping);
            byte[] bytes = buffer.toByteArray();
            sink.write(bytes, 0, endsWith(bytes, EOF) ? bytes.length - EOF.length : bytes.length);
            return;
        }
        sink.flush();
        writer.write(out, snapshots, escaping);
    }

    private static boolean endsWith(byte[] bytes, byte[] suffix) {
        return bytes.length >= suffix.length && java.util.Arrays.equals(bytes, bytes.length - suffix.length,
                bytes.length, suffix, 0, suffix.length);
    }
}

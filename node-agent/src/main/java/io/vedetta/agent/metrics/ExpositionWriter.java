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
import java.util.Arrays;
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
        write(out, exposition, writer, escaping, null);
    }

    /**
     * As {@link #write(OutputStream, ServedSeries, ExpositionFormatWriter, EscapingScheme)}, copying the families
     * that {@code written} holds for this format instead of writing them again, and keeping those it finds worth it.
     */
    public static void write(OutputStream out, ServedSeries exposition, ExpositionFormatWriter writer,
            EscapingScheme escaping, WrittenFamilies written) throws IOException {
        Format format = format(writer);
        if (format == null || escaping == EscapingScheme.DOTS_ESCAPING || exposition.passThrough().isEmpty()) {
            writer.write(out, exposition.materialized(), escaping);
            return;
        }
        WrittenFamilies.Write held = written == null ? null : written.begin(writer, escaping);
        ByteSink sink = new ByteSink(out);
        List<PassThroughFamily> passThrough = exposition.passThrough();
        List<MetricSnapshot> run = new ArrayList<>();
        int next = 0;
        for (MetricSnapshot snapshot : exposition.snapshots()) {
            String name = snapshot.getMetadata().getPrometheusName();
            if (next < passThrough.size() && passThrough.get(next).familyName().compareTo(name) < 0) {
                writeRun(out, sink, run, writer, format, escaping, held);
                while (next < passThrough.size() && passThrough.get(next).familyName().compareTo(name) < 0) {
                    write(sink, passThrough.get(next++), format);
                }
            }
            run.add(snapshot);
        }
        writeRun(out, sink, run, writer, format, escaping, held);
        while (next < passThrough.size()) {
            write(sink, passThrough.get(next++), format);
        }
        if (format == Format.OPENMETRICS) {
            sink.write(EOF);
        }
        sink.flush();
        if (held != null) {
            held.end();
        }
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
     * Writes the snapshots gathered since the last passed-through family, those {@code held} has as the bytes it
     * holds and the rest with client_java's writer, and empties {@code run}.
     */
    private static void writeRun(OutputStream out, ByteSink sink, List<MetricSnapshot> run,
            ExpositionFormatWriter writer, Format format, EscapingScheme escaping, WrittenFamilies.Write held)
            throws IOException {
        if (held == null) {
            writeSnapshots(out, sink, run, writer, format, escaping);
            run.clear();
            return;
        }
        List<MetricSnapshot> direct = new ArrayList<>();
        for (MetricSnapshot family : run) {
            byte[] bytes = held.bytes(family);
            if (bytes == null && !held.keeps(family)) {
                direct.add(family);
                continue;
            }
            writeSnapshots(out, sink, direct, writer, format, escaping);
            direct.clear();
            if (bytes == null) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                writer.write(buffer, new MetricSnapshots(family), escaping);
                bytes = withoutEof(buffer.toByteArray(), format);
                held.written(family, bytes);
            }
            sink.write(bytes);
        }
        writeSnapshots(out, sink, direct, writer, format, escaping);
        run.clear();
    }

    /**
     * Writes {@code snapshots} with client_java's writer, which ends an OpenMetrics body with {@code # EOF} each time
     * it is called: that is left out here and written once at the end.
     */
    private static void writeSnapshots(OutputStream out, ByteSink sink, List<MetricSnapshot> snapshots,
            ExpositionFormatWriter writer, Format format, EscapingScheme escaping) throws IOException {
        if (snapshots.isEmpty()) {
            return;
        }
        MetricSnapshots families = new MetricSnapshots(snapshots);
        if (format == Format.OPENMETRICS) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            writer.write(buffer, families, escaping);
            byte[] bytes = buffer.toByteArray();
            sink.write(bytes, 0, endsWith(bytes, EOF) ? bytes.length - EOF.length : bytes.length);
            return;
        }
        sink.flush();
        writer.write(out, families, escaping);
    }

    private static byte[] withoutEof(byte[] bytes, Format format) {
        return format == Format.OPENMETRICS && endsWith(bytes, EOF) ? Arrays.copyOf(bytes, bytes.length - EOF.length)
                : bytes;
    }

    private static boolean endsWith(byte[] bytes, byte[] suffix) {
        return bytes.length >= suffix.length && Arrays.equals(bytes, bytes.length - suffix.length,
                bytes.length, suffix, 0, suffix.length);
    }
}

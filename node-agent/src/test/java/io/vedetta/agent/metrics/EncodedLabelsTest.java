package io.vedetta.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EncodedLabelsTest {

    private static final int SERIES = 2_000;

    private static PassThroughFamily family() {
        return family(new EncodedLabels[SERIES]);
    }

    private static PassThroughFamily family(EncodedLabels[] series) {
        double[] values = new double[SERIES];
        for (int i = 0; i < SERIES; i++) {
            series[i] = new EncodedLabels(Labels.of("container", String.format("c%05d", i), "namespace", "ns \"quoted\"\\",
                    "pod", String.format("pod-%05d", i)));
            values[i] = i * 1.5;
        }
        return new PassThroughFamily(PassThroughFamily.Kind.GAUGE, "container_memory_working_set_bytes",
                "Current working set", series, values);
    }

    private interface Format {
        void write(PassThroughFamily family, ByteSink sink) throws IOException;
    }

    private static byte[] written(PassThroughFamily family, Format format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteSink sink = new ByteSink(out);
        format.write(family, sink);
        sink.flush();
        return out.toByteArray();
    }

    private static byte[] text(PassThroughFamily family) throws IOException {
        return written(family, PassThroughFamily::writeText);
    }

    private static byte[] protobuf(PassThroughFamily family) throws IOException {
        return written(family, PassThroughFamily::writeProtobuf);
    }

    private static Object bytesOf(EncodedLabels labels, String format) throws ReflectiveOperationException {
        Field field = EncodedLabels.class.getDeclaredField(format);
        field.setAccessible(true);
        return field.get(labels);
    }

    @Test
    void makesTheBytesOfOnlyTheFormatsScrapesAskFor() throws Exception {
        EncodedLabels[] series = new EncodedLabels[SERIES];
        PassThroughFamily family = family(series);
        EncodedLabels first = series[0];

        byte[] text = text(family);
        assertNotNull(bytesOf(first, "text"));
        assertNull(bytesOf(first, "protobuf"), "a text scrape must not make the protobuf bytes");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(expected, MetricSnapshots.of(family.toSnapshot()),
                EscapingScheme.ALLOW_UTF8);
        assertEquals(expected.toString(), new String(text, java.nio.charset.StandardCharsets.UTF_8));

        byte[] protobuf = protobuf(family);
        assertNotNull(bytesOf(first, "protobuf"));
        ByteArrayOutputStream expectedProtobuf = new ByteArrayOutputStream();
        new PrometheusProtobufWriter().write(expectedProtobuf, MetricSnapshots.of(family.toSnapshot()),
                EscapingScheme.ALLOW_UTF8);
        assertArrayEquals(expectedProtobuf.toByteArray(), protobuf);
    }

    @Test
    void scrapesInBothFormatsAtOnceWriteWhatOneAloneWrites() throws Exception {
        byte[] text = text(family());
        byte[] protobuf = protobuf(family());
        PassThroughFamily shared = family();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> texts = new ArrayList<>();
            List<Future<byte[]>> protobufs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                texts.add(threads.submit(() -> text(shared)));
                protobufs.add(threads.submit(() -> protobuf(shared)));
            }
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(text, texts.get(i).get());
                assertArrayEquals(protobuf, protobufs.get(i).get());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}

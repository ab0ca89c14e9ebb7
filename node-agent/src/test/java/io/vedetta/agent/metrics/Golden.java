package io.vedetta.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden-file comparison of Prometheus text exposition. On a mismatch the actual text is also written to
 * {@code target/golden-actual/} so a reviewer can diff it against the golden file.
 */
public final class Golden {

    private Golden() {
    }

    public static String exposition(MetricSnapshots snapshots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static void assertMatches(String goldenResource, MetricSnapshots snapshots) throws IOException {
        String actual = exposition(snapshots);
        Path golden = Path.of("src/test/resources").resolve(goldenResource);
        String expected = Files.exists(golden) ? Files.readString(golden) : "";
        if (!expected.equals(actual)) {
            Path dump = Path.of("target/golden-actual").resolve(goldenResource);
            Files.createDirectories(dump.getParent());
            Files.writeString(dump, actual);
        }
        assertEquals(expected, actual, "exposition differs from " + golden + "; actual written to target/golden-actual");
    }
}

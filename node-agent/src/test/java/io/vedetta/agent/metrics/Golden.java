package io.vedetta.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden-file comparison of Prometheus text exposition, files under {@code src/test/resources/}.
 * On a mismatch the actual text is written to {@code target/golden-actual/} for a diff; run with
 * {@code -Dgolden.update=true} to rewrite the golden files after a deliberate change, then review the diff.
 */
public final class Golden {

    private static final Path RESOURCES = Path.of("src", "test", "resources");

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

    public static void assertMatches(String resource, MetricSnapshots snapshots) throws IOException {
        assertMatches(resource, exposition(snapshots));
    }

    public static void assertMatches(String resource, String actual) throws IOException {
        Path golden = RESOURCES.resolve(resource);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        assertTrue(Files.exists(golden), "no golden file " + golden + "; run once with -Dgolden.update=true");
        String expected = Files.readString(golden);
        if (!expected.equals(actual)) {
            Path dump = Path.of("target", "golden-actual").resolve(resource);
            Files.createDirectories(dump.getParent());
            Files.writeString(dump, actual);
        }
        assertEquals(expected, actual, "exposition differs from " + golden + "; actual written to target/golden-actual");
    }
}

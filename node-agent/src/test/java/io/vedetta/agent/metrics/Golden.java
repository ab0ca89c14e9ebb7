package io.vedetta.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden exposition files under {@code src/test/resources/golden/}. Run with {@code -Dgolden.update=true} to
 * rewrite them after a deliberate change, then review the diff before committing.
 */
public final class Golden {

    private static final Path DIR = Path.of("src", "test", "resources", "golden");

    private Golden() {
    }

    public static String exposition(MetricSnapshots snapshots) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, snapshots);
        return out.toString(StandardCharsets.UTF_8);
    }

    public static void assertMatches(String file, String actual) throws IOException {
        Path golden = DIR.resolve(file);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(golden, actual);
        }
        assertTrue(Files.exists(golden), "no golden file " + golden + "; run once with -Dgolden.update=true");
        assertEquals(Files.readString(golden), actual, "exposition differs from " + golden);
    }
}

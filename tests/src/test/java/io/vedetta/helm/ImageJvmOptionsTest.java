package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image's default JVM options are the chart's {@code javaOptions}, which scripts/bench logs launches the agent
 * with: the agent run from the image alone, deployed by the chart and measured by the benchmark is the same JVM.
 */
class ImageJvmOptionsTest {

    @Test
    void theImageDefaultsToTheChartsJavaOptions() throws IOException {
        String javaOptions = Rendered.YAML.readTree(Chart.DIR.resolve("values.yaml").toFile())
                .path("javaOptions").asText();
        Matcher image = Pattern.compile("^ENV JDK_JAVA_OPTIONS=\"([^\"]*)\"$", Pattern.MULTILINE)
                .matcher(Files.readString(Chart.REPO.resolve("Dockerfile")));

        assertTrue(image.find(), "the Dockerfile sets JDK_JAVA_OPTIONS");
        assertEquals(javaOptions, image.group(1));
    }
}

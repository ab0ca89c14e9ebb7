package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentArchive;
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

    /**
     * JDK 17 maps a static archive only for the jar at the path it was dumped with, so the step that dumps it and the
     * ENTRYPOINT must name the same jar and archive, from the class list the repository keeps; and the archive is not
     * one of the options a chart's javaOptions replace.
     */
    @Test
    void theEntrypointRunsTheJarWithTheArchiveTheImageDumpsFromTheRepositorysClassList() throws IOException {
        String dockerfile = Files.readString(Chart.REPO.resolve("Dockerfile")).replace("\\\n", " ");
        Matcher dump = Pattern.compile("^RUN java -Xshare:dump -XX:SharedClassListFile=(\\S+)\\s+"
                + "-XX:SharedArchiveFile=(\\S+) -cp (\\S+)$", Pattern.MULTILINE).matcher(dockerfile);
        assertTrue(dump.find(), "the runtime stage dumps the archive: " + dockerfile);
        Matcher copyList = Pattern.compile("^COPY " + Pattern.quote(AgentArchive.CLASS_LIST) + " (\\S+)$",
                Pattern.MULTILINE).matcher(dockerfile);
        assertTrue(copyList.find(), "the runtime stage copies " + AgentArchive.CLASS_LIST);
        assertEquals(dump.group(1), copyList.group(1));
        assertTrue(dockerfile.contains("COPY --from=build /src/node-agent/target/vedetta-agent.jar " + dump.group(3) + "\n"));
        assertTrue(dockerfile.contains("ENTRYPOINT [\"java\", \"-XX:SharedArchiveFile=" + dump.group(2) + "\", \"-jar\", \""
                + dump.group(3) + "\"]"), "the ENTRYPOINT runs " + dump.group(3) + " with " + dump.group(2));
        assertTrue(dockerfile.indexOf(dump.group(0)) < dockerfile.indexOf("ENV JDK_JAVA_OPTIONS"),
                "the archive is dumped before JDK_JAVA_OPTIONS is set, so the dump runs with no option of the agent's");
    }
}

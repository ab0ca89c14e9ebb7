package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentArchive;
import io.vedetta.testkit.AgentProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image names its class-data sharing archive in its ENTRYPOINT; an image built another way (without the
 * Dockerfile's dump step) or a JDK upgraded under the archive leaves the JVM an archive it cannot use, and JDK 17 then
 * shares nothing, silently. The agent must still run, as the chart's default {@code -Xshare:auto} lets it, and say
 * once why it uses more memory than it should; with its archive it says nothing.
 */
class ClassSharingFallbackTest {

    private static final String CONFIG = "kubernetes: {enabled: false}\n";
    private static final String WARNING = "class-data sharing is off";

    @Test
    void runsAndWarnsOnceWhenTheArchiveIsMissing(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("vedetta-agent.jsa");

        String log = runAndStop(dir, List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + missing));

        assertEquals(1, occurrences(log, WARNING), log);
        assertTrue(log.contains("the archive " + missing + " (-XX:SharedArchiveFile) is missing"), log);
    }

    @Test
    void runsAndWarnsOnceWhenTheArchiveWasDumpedForTheJarAtAnotherPath(@TempDir Path dir) throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere")).resolve("vedetta-agent.jar");
        Files.copy(AgentProcess.jar(), elsewhere);
        Path classList = Files.writeString(dir.resolve("classes.txt"), "io/vedetta/agent/Main\n");
        Path stale = dir.resolve("vedetta-agent.jsa");
        AgentArchive.dump(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:dump",
                "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + stale, "-cp", elsewhere.toString()),
                dir.resolve("dump.log"));

        String log = runAndStop(dir, List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + stale));

        assertEquals(1, occurrences(log, WARNING), log);
        assertTrue(log.contains("the JVM rejected the archive " + stale), log);
    }

    @Test
    void saysNothingWithItsArchive(@TempDir Path dir) throws IOException {
        String log = runAndStop(dir, List.of());

        assertFalse(log.contains(WARNING), log);
        assertTrue(log.contains("agent stopped"), log);
    }

    private static String runAndStop(Path dir, List<String> sharingOptions) throws IOException {
        Path agentDir = dir.resolve("agent");
        try (AgentProcess agent = AgentProcess.start(agentDir, CONFIG, Map.of(), sharingOptions)) {
            assertTrue(agent.process().isAlive());
            agent.process().stop(20);
        }
        return Files.readString(agentDir.resolve("agent.log"));
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}

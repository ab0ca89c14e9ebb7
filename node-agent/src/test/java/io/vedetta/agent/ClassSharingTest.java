package io.vedetta.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassSharingTest {

    @Test
    void saysNothingWhenTheJvmShares() {
        assertEquals(Optional.empty(),
                ClassSharing.whyOff("mixed mode, sharing", Optional.of("/opt/vedetta/vedetta-agent.jsa"), List.of()));
        assertEquals(Optional.empty(), ClassSharing.whyOff("mixed mode, sharing", Optional.empty(), List.of()));
    }

    @Test
    void namesTheMissingArchive(@TempDir Path dir) {
        String archive = dir.resolve("vedetta-agent.jsa").toString();

        String why = ClassSharing.whyOff("mixed mode", Optional.of(archive), List.of()).orElseThrow();

        assertTrue(why.contains(archive + " (-XX:SharedArchiveFile) is missing"), why);
    }

    @Test
    void saysTheArchiveWasRejectedWhenItExists(@TempDir Path dir) throws IOException {
        Path archive = Files.writeString(dir.resolve("vedetta-agent.jsa"), "dumped elsewhere");

        String why = ClassSharing.whyOff("mixed mode", Optional.of(archive.toString()), List.of("-Xshare:auto"))
                .orElseThrow();

        assertTrue(why.contains("rejected the archive " + archive), why);
        assertTrue(why.contains("another JDK or for a jar at another path"), why);
    }

    @Test
    void namesTheOptionThatTurnedItOff() {
        String why = ClassSharing.whyOff("mixed mode", Optional.of("/opt/vedetta/vedetta-agent.jsa"),
                List.of("-XX:+UseSerialGC", "-Xshare:off")).orElseThrow();

        assertTrue(why.contains("-Xshare:off is among the JVM's options"), why);
    }

    @Test
    void saysSharingIsOffAltogetherWithoutAnArchiveOption() {
        String why = ClassSharing.whyOff("mixed mode", Optional.empty(), List.of()).orElseThrow();

        assertTrue(why.contains("maps no archive, not even the JDK's own"), why);
    }
}

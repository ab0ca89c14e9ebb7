package io.vedetta.logs.tail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobScannerTest {

    @TempDir
    Path root;

    @Test
    void matchesPodLogsSeveralDirectoriesDeep() throws Exception {
        Path a = touch("pods/ns_a_1/app/0.log");
        Path b = touch("pods/ns_b_2/sidecar/0.log");
        touch("pods/ns_b_2/sidecar/0.log.20261125-010203");
        touch("pods/ns_b_2/sidecar/deeper/1.log");

        GlobScanner.Result result = new GlobScanner(List.of(root + "/pods/*/*/*.log"), List.of()).scan();

        assertEquals(Set.of(a, b), result.files());
        assertTrue(result.directories().contains(root.resolve("pods/ns_a_1/app")), result.directories().toString());
        assertTrue(!result.directories().contains(root.resolve("pods/ns_b_2/sidecar/deeper")),
                "walks no deeper than the glob");
    }

    @Test
    void followsDoubleStarToAnyDepthAndAppliesExcludes() throws Exception {
        Path kept = touch("a/b/c/kept.log");
        touch("a/b/skipped_kube-system_x.log");

        GlobScanner.Result result = new GlobScanner(List.of(root + "/a/**.log"),
                List.of(root + "/**_kube-system_*.log")).scan();

        assertEquals(Set.of(kept), result.files());
    }

    @Test
    void listsSymlinksUnderTheirOwnNameAndSkipsDanglingOnes() throws Exception {
        Path target = touch("pods/ns_a_1/app/0.log");
        Path link = Files.createSymbolicLink(Files.createDirectories(root.resolve("containers")).resolve("a.log"), target);
        Files.createSymbolicLink(root.resolve("containers/dangling.log"), root.resolve("nowhere/0.log"));

        GlobScanner.Result result = new GlobScanner(List.of(root + "/containers/*.log"), List.of()).scan();

        assertEquals(Set.of(link), result.files());
    }

    @Test
    void findsNothingWhileTheDirectoryDoesNotExist() {
        GlobScanner.Result result = new GlobScanner(List.of(root + "/missing/*.log"), List.of()).scan();

        assertTrue(result.files().isEmpty());
    }

    private Path touch(String relative) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "x\n");
    }
}

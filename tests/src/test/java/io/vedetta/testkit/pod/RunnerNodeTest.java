package io.vedetta.testkit.pod;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The runner's own tests, a class at a time on one node of their own ({@link RunnerNode#create}). */
abstract class RunnerNodeTest {

    static PodNode node;

    @BeforeAll
    static void startNode(@TempDir Path dir) {
        node = RunnerNode.create(dir);
    }

    @AfterAll
    static void closeNode() {
        node.close();
    }
}

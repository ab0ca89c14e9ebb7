package io.vedetta.logs.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterFileTest {

    @TempDir
    Path dir;

    @Test
    void keepsTheLinesThatFitUnderItsBoundWholeAndInOrderAndRefusesTheRest() throws IOException {
        Path path = dir.resolve("state/deadletter.ndjson");
        DeadLetterFile file = new DeadLetterFile(path, 20);

        assertEquals(2, file.append(List.of("{\"a\":1}", "{\"bb\":22222222}", "{\"c\":3}")),
                "8 and 8 bytes fit, 16 more would not");
        assertEquals(List.of("{\"a\":1}", "{\"c\":3}"), Files.readAllLines(path));
        assertEquals(0, file.append(List.of("{\"d\":4}")), "4 bytes left");
        assertEquals(16, Files.size(path), "never past its bound, no line cut");
    }

    @Test
    void hasRoomAgainOnceTheFileIsMovedAway() throws IOException {
        Path path = dir.resolve("deadletter.ndjson");
        DeadLetterFile file = new DeadLetterFile(path, 10);
        assertEquals(1, file.append(List.of("{\"a\":1}")));
        assertEquals(0, file.append(List.of("{\"b\":2}")));

        Files.move(path, dir.resolve("kept.ndjson"));

        assertEquals(1, file.append(List.of("{\"b\":2}")));
        assertEquals(List.of("{\"b\":2}"), Files.readAllLines(path));
    }

    @Test
    void aBoundOfZeroKeepsNoFile() throws IOException {
        Path path = dir.resolve("deadletter.ndjson");

        assertEquals(0, new DeadLetterFile(path, 0).append(List.of("{}")));
        assertFalse(Files.exists(path));
    }
}

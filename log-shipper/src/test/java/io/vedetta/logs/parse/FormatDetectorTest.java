package io.vedetta.logs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FormatDetectorTest {

    private final FormatDetector detector = new FormatDetector(new JsonFactory());

    private Optional<LogFormat> detect(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return detector.detect(bytes, 0, bytes.length);
    }

    @Test
    void recognisesCriAndDockerLinesAndNothingElse() {
        assertEquals(Optional.of(LogFormat.CRI), detect("2024-01-02T03:04:05.1Z stdout F {\"log\":\"x\"}"));
        assertEquals(Optional.of(LogFormat.CRI), detect("2024-01-02T03:04:05+01:00 stderr P:extra part"));
        assertEquals(Optional.of(LogFormat.DOCKER),
                detect("{\"log\":\"x\\n\",\"stream\":\"stderr\",\"attrs\":{\"a\":[1]},\"time\":\"2024-01-02T03:04:05Z\"}"));
        assertEquals(Optional.empty(), detect(""));
        assertEquals(Optional.empty(), detect("2024-01-02T03:04:05Z stdin F no such stream"));
        assertEquals(Optional.empty(), detect("2024-01-02T03:04:05Z stdout PF tag"));
        assertEquals(Optional.empty(), detect("{\"log\":\"x\",\"stream\":\"stdout\"}"));
        assertEquals(Optional.empty(), detect("{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"yesterday\"}"));
        assertEquals(Optional.empty(), detect("plain text written to the file by something else"));
    }
}

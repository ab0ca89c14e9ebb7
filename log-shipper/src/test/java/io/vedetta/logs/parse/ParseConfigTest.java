package io.vedetta.logs.parse;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ParseConfigTest {

    private static void assertRejected(String setting, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().startsWith(setting + " "), e.getMessage());
    }

    @Test
    void namesTheSettingThatIsWrong() {
        Duration s = Duration.ofSeconds(1);
        assertRejected("logs.maxLineBytes", () -> new ParseConfig(100, OversizeAction.SPLIT, s, MultilineMode.NONE,
                "", s, 10, false));
        assertRejected("logs.partialFlushTimeout", () -> new ParseConfig(4096, OversizeAction.SPLIT, Duration.ZERO,
                MultilineMode.NONE, "", s, 10, false));
        assertRejected("logs.multiline.startPattern", () -> new ParseConfig(4096, OversizeAction.SPLIT, s,
                MultilineMode.REGEX, "", s, 10, false));
        assertRejected("logs.multiline.startPattern", () -> new ParseConfig(4096, OversizeAction.SPLIT, s,
                MultilineMode.REGEX, "([unclosed", s, 10, false));
        assertRejected("logs.multiline.flushTimeout", () -> new ParseConfig(4096, OversizeAction.SPLIT, s,
                MultilineMode.NONE, "", null, 10, false));
        assertRejected("logs.multiline.maxLines", () -> new ParseConfig(4096, OversizeAction.SPLIT, s,
                MultilineMode.NONE, "", s, 1, false));
    }
}

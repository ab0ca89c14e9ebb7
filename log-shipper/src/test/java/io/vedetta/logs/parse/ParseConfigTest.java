package io.vedetta.logs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vedetta.logs.settings.InvalidSettingException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ParseConfigTest {

    private static void assertRejected(String setting, Executable build) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, build);
        assertEquals(setting, e.setting(), e.getMessage());
    }

    @Test
    void namesTheSettingThatIsWrong() {
        Duration s = Duration.ofSeconds(1);
        assertRejected("maxLineBytes", () -> new ParseConfig(100, OversizeAction.SPLIT, s, MultilineMode.NONE,
                "", s, 10, false));
        assertRejected("partialFlushTimeout", () -> new ParseConfig(4096, OversizeAction.SPLIT, Duration.ZERO,
                MultilineMode.NONE, "", s, 10, false));
        assertRejected("multiline.startPattern", () -> new ParseConfig(4096, OversizeAction.SPLIT, s,
                MultilineMode.REGEX, "", s, 10, false));
        assertRejected("multiline.startPattern", () -> new ParseConfig(4096, OversizeAction.SPLIT, s,
                MultilineMode.REGEX, "([unclosed", s, 10, false));
        assertRejected("multiline.flushTimeout", () -> new ParseConfig(4096, OversizeAction.SPLIT, s,
                MultilineMode.NONE, "", null, 10, false));
        assertRejected("multiline.maxLines", () -> new ParseConfig(4096, OversizeAction.SPLIT, s,
                MultilineMode.NONE, "", s, 1, false));
    }
}

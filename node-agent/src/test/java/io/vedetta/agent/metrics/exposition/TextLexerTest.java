package io.vedetta.agent.metrics.exposition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

public class TextLexerTest {

    /** Writes every event as one line, the bytes of a sample's name and label set exactly as the lexer passed them. */
    public static final class Events implements TextLexer.Listener {
        public final List<String> events = new ArrayList<>();

        @Override
        public void help(String family, String text) {
            events.add("help " + family + " [" + text + "]");
        }

        @Override
        public void type(String family, String type) {
            events.add("type " + family + " " + type);
        }

        @Override
        public void sample(byte[] line, int nameFrom, int nameTo, int labelsFrom, int labelsTo, double value,
                long timestampMillis) {
            events.add("sample " + new String(line, nameFrom, nameTo - nameFrom, StandardCharsets.UTF_8) + " ["
                    + new String(line, labelsFrom, labelsTo - labelsFrom, StandardCharsets.UTF_8) + "] " + value
                    + (timestampMillis == TextLexer.NO_TIMESTAMP ? "" : " @" + timestampMillis));
        }

        @Override
        public void skipped(String problem) {
            events.add("skipped " + problem);
        }
    }

    private static List<String> lex(String text) throws IOException {
        Events events = new Events();
        new TextLexer().read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), events);
        return events.events;
    }

    @Test
    void passesEachSeriesNameAndLabelSetAsWrittenWithItsValueAndTimestamp() throws IOException {
        assertEquals(List.of(
                "help rpc [a \\ b\nc]",
                "type rpc counter",
                "sample rpc_total [{code=\"2}0\",path=\"a\\\"b\"}] 3.0 @1700000000000",
                "sample up [] 1.0",
                "sample up [{ a = \"b\" , }] 0.5",
                "skipped line 6: missing value",
                "sample temperature [] NaN"),
                lex("""
                        # HELP rpc a \\\\ b\\nc
                        # TYPE rpc counter
                        rpc_total{code="2}0",path="a\\"b"} 3 1700000000000
                        up 1\r
                        up{ a = "b" , } 0.5
                        broken{a="b"}
                        temperature NaN
                        """));
    }

    @Test
    void decodesALabelSetItsReaderHasNotSeen() {
        List<String> pairs = new ArrayList<>();
        byte[] text = "{ a = \"x\\\"y\\\\z\\n\", b=\"\",}".getBytes(StandardCharsets.UTF_8);

        new LabelText().read(text, 0, text.length, (name, value) -> pairs.add(name + "=" + value));

        assertEquals(List.of("a=x\"y\\z\n", "b="), pairs);
    }

    @Test
    void failsABodyCutInsideALine() {
        EOFException e = assertThrows(EOFException.class, () -> lex("up 1\nup{a=\"b\"} 2"));

        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("cut short"), e.getMessage());
    }
}

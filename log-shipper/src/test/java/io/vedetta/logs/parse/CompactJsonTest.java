package io.vedetta.logs.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompactJsonTest {

    private final ObjectMapper tree = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final CompactJson compact = new CompactJson();

    /** The document's fields as the pipeline defines them: the message read as a tree and written back; null when it is not one object. */
    private byte[] throughTree(String message) {
        try {
            JsonNode node = tree.readTree(message);
            if (!(node instanceof ObjectNode)) {
                return null;
            }
            ByteArrayBuilder out = new ByteArrayBuilder();
            try (JsonGenerator g = tree.getFactory().createGenerator(out)) {
                JsonNodeWriter.write(g, node);
            }
            return out.toByteArray();
        } catch (IOException e) {
            return null;
        }
    }

    private String copied(String message) {
        JsonFields fields = compact.copy(Utf8Text.of(message));
        byte[] bytes = fields == null ? null : fields.toString().getBytes(StandardCharsets.UTF_8);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void shortDecimalsCopiedAsTheyAreAreWhatParsingAndFormattingMakeOfThem() {
        List<String> fractions = new ArrayList<>();
        for (int fraction = 0; fraction < 110; fraction++) {
            fractions.add(fraction < 10 ? Integer.toString(fraction) : String.format("%02d", fraction - 10));
        }
        StringBuilder literal = new StringBuilder();
        for (int whole = -9999; whole <= 9999; whole++) {
            for (int fraction = 0; fraction < fractions.size(); fraction++) {
                String digits = fractions.get(fraction);
                if (!CompactJson.isOwnDoubleText(Integer.toString(Math.abs(whole)).length(), digits.length(),
                        (byte) digits.charAt(digits.length() - 1))) {
                    continue;
                }
                literal.setLength(0);
                literal.append(whole == 0 && fraction % 2 == 1 ? "-" : "").append(whole).append('.').append(digits);
                String text = literal.toString();
                assertEquals(Double.toString(Double.parseDouble(text)), text);
            }
        }
        for (String number : List.of("151.9", "-0.0", "0.5", "9999.99", "1.10", "10000.5", "0.001", "1.0e3", "12.345")) {
            String message = "{\"duration_ms\":" + number + "}";
            assertEquals(new String(throughTree(message), StandardCharsets.UTF_8), copied(message), message);
        }
    }

    @Test
    void copiesTypicalLogMessagesInOnePass() {
        assertEquals("{\"level\":\"info\",\"msg\":\"request served\",\"status\":200,\"duration_ms\":151.9,\"ok\":true}",
                copied("{\"level\":\"info\",\"msg\":\"request served\",\"status\":200,\"duration_ms\":151.9,\"ok\":true}"));
        assertEquals("{\"a\":[1,{\"b\":null},false],\"c\":{}}", copied(" { \"a\" : [ 1 , {\"b\":null} ,false ],\r\n\t\"c\":{} } "));
        assertEquals("{\"n\":0,\"x\":1.5,\"y\":100000.0,\"z\":-0.0}", copied("{\"n\":-0,\"x\":1.50,\"y\":1e5,\"z\":-0.0}"));
        assertEquals("{\"u\":\"héllo ✓ €\u007f\u0085\u2028\"}", copied("{\"u\":\"héllo ✓ €\u007f\u0085\u2028\"}"));
    }

    @Test
    void leavesToJacksonWhatItCannotProveTheSame() {
        assertNull(copied("{\"esc\":\"a \\\" b\"}"));
        assertNull(copied("{\"a\":1,\"a\":2}"));
        assertNull(copied("{\"huge\":1e400}"));
        assertNull(copied("{\"pair\":\"😀\"}"));
        assertNull(copied("{\"a\":1} trailing"));
        assertNull(copied("{\"a\":01}"));
        assertNull(copied("{\"ctl\":\"\u0001\"}"));
        assertNull(copied("\u000b{\"a\":1}"));
        assertNull(copied("{\"a\":" + "1".repeat(65) + "}"));
        assertNull(copied("{\"a\":" + "[".repeat(70) + "]".repeat(70) + "}"));
        assertNull(copied("[1]"));
    }

    @Test
    void aMessageThatIsCompactAlreadyIsItsOwnCopy() {
        Utf8Text compactMessage = Utf8Text.of("{\"level\":\"info\",\"n\":[1,2.5]}");
        assertSame(compactMessage.bytes(), compact.copy(compactMessage).text().bytes(), "no copy");

        Utf8Text spaced = Utf8Text.of("{\"level\": \"info\"}");
        JsonFields fields = compact.copy(spaced);
        assertNotSame(spaced.bytes(), fields.text().bytes());
        assertEquals("{\"level\":\"info\"}", fields.toString());
    }

    @Test
    void writesWhatTheTreeWritesForEveryMessageItTakes() {
        Random random = new Random(7);
        int taken = 0;
        for (int i = 0; i < 20_000; i++) {
            // As a file holds it: a lone surrogate the generator may make becomes '?' in UTF-8.
            String message = Utf8Text.of(mutate(random, object(random, 0), random)).toString();
            JsonFields fields = compact.copy(Utf8Text.of(message));
            byte[] fast = fields == null ? null : fields.toString().getBytes(StandardCharsets.UTF_8);
            if (fast != null) {
                taken++;
                byte[] expected = throughTree(message);
                assertNotNull(expected, () -> "took what is not one object: " + message);
                assertArrayEquals(expected, fast, () -> message + " -> " + new String(fast, StandardCharsets.UTF_8));
            }
        }
        assertTrue(taken > 2_000, "took only " + taken + " of 20000 messages");
    }

    private static String object(Random random, int depth) {
        StringBuilder out = new StringBuilder();
        out.append('{').append(space(random));
        int fields = random.nextInt(depth > 2 ? 3 : 7);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                out.append(',').append(space(random));
            }
            // A small alphabet of keys, so an object has one twice now and then.
            out.append('"').append(random.nextInt(8) == 0 ? "k\\u0031" : "k" + random.nextInt(12)).append('"')
                    .append(space(random)).append(':').append(space(random)).append(value(random, depth + 1))
                    .append(space(random));
        }
        return out.append('}').toString();
    }

    private static String value(Random random, int depth) {
        return switch (random.nextInt(depth > 3 ? 5 : 7)) {
            case 0 -> string(random);
            case 1 -> number(random);
            case 2 -> new String[] {"true", "false", "null"}[random.nextInt(3)];
            case 3, 4 -> string(random);
            case 5 -> object(random, depth);
            default -> {
                StringBuilder array = new StringBuilder("[");
                int items = random.nextInt(4);
                for (int i = 0; i < items; i++) {
                    array.append(i > 0 ? "," : "").append(space(random)).append(value(random, depth + 1));
                }
                yield array.append(']').toString();
            }
        };
    }

    private static final String[] PIECES = {"a", "Z", " ", "/", "é", "ß", "✓", "€", "😀", "\u007f", "\u0085", "\u2028",
        "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\\u0001", "\\ud83d\\ude00", "\t", "\u0001", "\ud800", "'"};

    private static String string(Random random) {
        StringBuilder out = new StringBuilder("\"");
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            // Mostly plain characters, as in logs; now and then an escape or a character JSON forbids.
            out.append(random.nextInt(4) > 0 ? PIECES[random.nextInt(12)] : PIECES[random.nextInt(PIECES.length)]);
        }
        return out.append('"').toString();
    }

    private static final String[] NUMBERS = {"0", "-0", "7", "-12", "2147483647", "2147483648", "-9223372036854775809",
        "123456789012345678901234567890", "1.5", "1.50", "-0.0", "0.1", "100.0e-2", "1e5", "1E-7", "4.9E-324",
        "1.7976931348623157E308", "1e400", "-1e400", "1e-400", "2e23", "0.002", "151.9", "12345678.9", "9.999999999999999e22",
        "01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "NaN", "1.5f"};

    private static String number(Random random) {
        if (random.nextBoolean()) {
            return random.nextInt(2000) / 10.0 + "";
        }
        return NUMBERS[random.nextInt(NUMBERS.length)];
    }

    private static String space(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> " ";
            case 1 -> "\n\t";
            case 2 -> "\r\n ";
            case 3 -> "\u000b";
            default -> "";
        };
    }

    /** Now and then breaks the message: cut short, trailing text, a second object, a stray character. */
    private static String mutate(Random random, String message, Random r) {
        return switch (r.nextInt(20)) {
            case 0 -> message.substring(0, random.nextInt(message.length()));
            case 1 -> message + " x";
            case 2 -> message + "{}";
            case 3 -> {
                int at = random.nextInt(message.length());
                yield message.substring(0, at) + "}:,\"[".charAt(random.nextInt(5)) + message.substring(at);
            }
            case 4 -> "  \n" + message + "\r\n";
            default -> message;
        };
    }
}

package io.vedetta.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonBytesTest {

    private static final JsonFactory JSON = new JsonFactory();

    private static byte[] jackson(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] quoted(String text) {
        JsonBytes out = new JsonBytes(1);
        assertTrue(out.writeQuoted(text), text);
        return out.toByteArray();
    }

    @Test
    void everyCharacterButSurrogatesIsWrittenAsJacksonWritesIt() {
        for (char c = 0; c < 0xFFFF; c++) {
            if (!Character.isSurrogate(c)) {
                String text = "a" + c + "b" + c;
                assertArrayEquals(jackson(text), quoted(text), "U+" + Integer.toHexString(c));
            }
        }
    }

    /** Up to 300 characters, escapes and multi-byte ones among them, but no surrogates. */
    private static String mixedText(Random random) {
        String alphabet = "ab \"\\/\n\t\r\b\f\u0000\u001f\u007f\u0080\u00e9\u07ff\u0800\u2603\uffff{}:,";
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(300); n > 0; n--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void mixedTextIsWrittenAsJacksonWritesIt() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String text = mixedText(random);
            assertArrayEquals(jackson(text), quoted(text), text);
        }
    }

    @Test
    void writesHexadecimalAsLongToHexStringDoes() {
        Random random = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            long value = random.nextInt(4) == 0 ? random.nextInt(17) : (random.nextLong() >>> 1) >>> random.nextInt(63);
            JsonBytes out = new JsonBytes(1);
            out.writeHex(value);
            assertEquals(Long.toHexString(value), out.toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void utf8TextIsWrittenAsItsDecodedTextIs() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            String text = mixedText(random);
            byte[] utf8 = ("xy" + text).getBytes(StandardCharsets.UTF_8);
            JsonBytes out = new JsonBytes(1);
            assertTrue(out.writeQuotedUtf8(utf8, 2, utf8.length - 2));
            assertArrayEquals(jackson(text), out.toByteArray(), text);
        }
    }

    @Test
    void utf8TextBeyondUPlusFfffIsRefusedWithNothingWritten() {
        JsonBytes out = new JsonBytes(4);
        out.writeAscii("{");
        byte[] smile = "smile \ud83d\ude00".getBytes(StandardCharsets.UTF_8);

        assertFalse(out.writeQuotedUtf8(smile, 0, smile.length));
        assertEquals("{", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void textWithASurrogateIsRefusedWithNothingWritten() {
        JsonBytes out = new JsonBytes(4);
        out.writeAscii("{\"a\":");

        assertFalse(out.writeQuoted("smile \ud83d\ude00"));
        assertFalse(out.writeQuoted("lone \ud800 half"));
        assertEquals("{\"a\":", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesAfterWhatIsThereAndGrows() {
        JsonBytes out = new JsonBytes(new byte[2]);
        out.writeAscii("[");
        out.writeQuoted("x".repeat(100));
        out.write(']');

        assertEquals("[\"" + "x".repeat(100) + "\"]", new String(Arrays.copyOf(out.array(), out.size()),
                StandardCharsets.UTF_8));
    }
}

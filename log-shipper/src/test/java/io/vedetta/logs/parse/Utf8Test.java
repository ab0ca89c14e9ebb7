package io.vedetta.logs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] alphabet = {'a', (byte) 0x80, (byte) 0xBF, (byte) 0xC2, (byte) 0xC0, (byte) 0xDF, (byte) 0xE0,
                (byte) 0xED, (byte) 0xA0, (byte) 0xEF, (byte) 0xF0, (byte) 0x90, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF};
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[random.nextInt(1, 6)];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = alphabet[random.nextInt(alphabet.length)];
            }
            assertEquals(jdkAccepts(bytes), Utf8.isValid(bytes, 0, bytes.length), () -> hex(bytes));
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnMostlyAsciiTextAtAnyOffset() {
        SplittableRandom random = new SplittableRandom(12);
        byte[] rare = {(byte) 0x80, (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xFF};
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[random.nextInt(0, 40)];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = random.nextInt(30) == 0 ? rare[random.nextInt(rare.length)] : (byte) random.nextInt(0x80);
            }
            int off = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            byte[] slice = Arrays.copyOfRange(bytes, off, bytes.length);
            assertEquals(jdkAccepts(slice), Utf8.isValid(bytes, off, slice.length), () -> hex(slice));
        }
    }

    @Test
    void measuresAndCutsWithoutSplittingCharacters() {
        String text = "a\u00e9\u20ac\uD83D\uDE00b";
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Utf8.length(text));
        for (int max = 1; max <= 11; max++) {
            int end = Utf8.cut(text, 0, max);
            String piece = text.substring(0, end);
            assertTrue(piece.getBytes(StandardCharsets.UTF_8).length <= Math.max(max, 4), "max " + max);
            assertTrue(end == text.length() || !Character.isLowSurrogate(text.charAt(end)), "max " + max);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x ", b));
        }
        return s.toString();
    }
}

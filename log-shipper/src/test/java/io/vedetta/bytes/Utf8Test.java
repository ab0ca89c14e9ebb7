package io.vedetta.bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
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
    void findsTheFirstByteAJsonStringCannotHoldAsItIs() {
        Random random = new Random(3);
        byte[] special = {'"', '\\', 0, 0x1f, '\n', (byte) 0x80, (byte) 0xc3, (byte) 0xff};
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = (byte) (0x20 + random.nextInt(0x5f));
            }
            if (random.nextBoolean()) {
                bytes[random.nextInt(bytes.length)] = special[random.nextInt(special.length)];
            }
            int from = random.nextInt(bytes.length);
            int expected = from;
            while (expected < bytes.length && bytes[expected] >= 0x20 && bytes[expected] != '"'
                    && bytes[expected] != '\\') {
                expected++;
            }
            assertEquals(expected, Utf8.plainJsonEnd(bytes, from, bytes.length), () -> hex(bytes));
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

package io.vedetta.bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WordsTest {

    private static int naiveIndexOf(byte[] b, int from, int to, char value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstByteOfAValueAtEveryOffsetAndEnd() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] b = new byte[64];
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < b.length; i++) {
                // Mostly other bytes, high ones included, so the word scan meets borrows and near misses.
                b[i] = (byte) (random.nextInt(20) == 0 ? '\n' : random.nextInt(256));
            }
            for (int from = 0; from < b.length; from++) {
                for (int to = from; to <= b.length; to++) {
                    assertEquals(naiveIndexOf(b, from, to, '\n'), Words.indexOf(b, from, to, '\n'),
                            "round " + round + " [" + from + ", " + to + ")");
                }
            }
        }
    }

    @Test
    void hashesEqualBytesAlikeWhereverTheyStand() {
        byte[] a = "xx{pod=\"web-1\",namespace=\"shop\"}".getBytes(StandardCharsets.UTF_8);
        byte[] b = "{pod=\"web-1\",namespace=\"shop\"}yyy".getBytes(StandardCharsets.UTF_8);
        int length = a.length - 2;
        assertEquals(Words.hash(a, 2, a.length), Words.hash(b, 0, length));
    }
}

package io.vedetta.agent.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HuffmanCodeTest {

    /** The Kraft sum of the code's lengths, in units of 2^-maxBits: 2^maxBits when the code is complete. */
    private static long kraft(HuffmanCode code, int maxBits) {
        long sum = 0;
        for (int length : code.lengths) {
            if (length > 0) {
                sum += 1L << (maxBits - length);
            }
        }
        return sum;
    }

    private static void assertCompleteWithin(HuffmanCode code, int maxBits, String what) {
        for (int length : code.lengths) {
            assertTrue(length <= maxBits, what + ": a code of " + length + " bits");
        }
        assertEquals(1L << maxBits, kraft(code, maxBits), what + ": complete");
    }

    @Test
    void frequenciesThatWouldMakeDeepTreesAreLimitedToDeflatesLengthsAndStayComplete() {
        // Fibonacci frequencies make a Huffman tree one level deeper per symbol.
        int[] frequencies = new int[286];
        int a = 1;
        int b = 1;
        for (int s = 0; s < 30; s++) {
            frequencies[s] = a;
            int next = a + b;
            a = b;
            b = next;
        }
        assertCompleteWithin(HuffmanCode.of(frequencies, 286, 15), 15, "literal/length code");
        assertCompleteWithin(HuffmanCode.of(frequencies, 19, 7), 7, "code-length code");
    }

    @Test
    void aMoreFrequentSymbolNeverGetsALongerCode() {
        Random random = new Random(3);
        for (int round = 0; round < 200; round++) {
            int[] frequencies = new int[286];
            for (int s = 0; s < frequencies.length; s++) {
                frequencies[s] = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(1 << random.nextInt(20));
            }
            HuffmanCode code = HuffmanCode.of(frequencies, 286, 15);
            assertCompleteWithin(code, 15, "round " + round);
            for (int s = 0; s < frequencies.length; s++) {
                assertEquals(frequencies[s] > 0, code.lengths[s] > 0, "symbol " + s + " coded iff used");
                for (int t = 0; t < frequencies.length; t++) {
                    if (frequencies[s] > frequencies[t] && frequencies[t] > 0) {
                        assertTrue(code.lengths[s] <= code.lengths[t], s + " vs " + t);
                    }
                }
            }
        }
    }

    @Test
    void oneSymbolOrNoneStillMakesACompleteCodeOfTwo() {
        int[] none = new int[30];
        int[] one = new int[30];
        one[7] = 5;
        assertCompleteWithin(HuffmanCode.of(none, 30, 15), 15, "no symbol");
        HuffmanCode single = HuffmanCode.of(one, 30, 15);
        assertCompleteWithin(single, 15, "one symbol");
        assertEquals(1, single.lengths[7]);
    }

    @Test
    void codesArePrefixFreeAsSentLeastSignificantBitFirst() {
        int[] frequencies = {10, 1, 1, 5, 7, 2, 0, 30};
        HuffmanCode code = HuffmanCode.of(frequencies, frequencies.length, 15);
        for (int s = 0; s < frequencies.length; s++) {
            for (int t = 0; t < frequencies.length; t++) {
                if (s != t && code.lengths[s] > 0 && code.lengths[t] >= code.lengths[s]) {
                    int mask = (1 << code.lengths[s]) - 1;
                    assertTrue((code.codes[t] & mask) != code.codes[s], s + " is a prefix of " + t);
                }
            }
        }
    }
}

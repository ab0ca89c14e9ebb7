package io.vedetta.agent.deflate;

import java.io.IOException;
import java.util.Arrays;

/**
 * The literals and matches of one deflate block, kept until the block ends so that its Huffman codes can be built
 * from its own frequencies (a dynamic block, RFC 1951, 3.2.7): the body's label bytes and numbers are far from the
 * fixed code's distribution.
 */
final class TokenBlock {

    /** Order in which the code-length code's lengths are sent (RFC 1951, 3.2.7). */
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    private static final int MAX_BITS = 15;
    private static final int MAX_CODE_LENGTH_BITS = 7;

    /** A literal byte as itself; a match as {@code length << 16 | distance}, which is never below 256. */
    private final int[] tokens;
    private int count;
    private final int[] literalLengthFrequencies = new int[DeflateSymbols.LITERAL_LENGTH_SYMBOLS];
    private final int[] distanceFrequencies = new int[DeflateSymbols.DISTANCE_SYMBOLS];

    /** {@code capacity}: the most bytes a block is made of (no more tokens than bytes). */
    TokenBlock(int capacity) {
        tokens = new int[capacity];
    }

    /** {@code bytes[from, to)} as literals. */
    void literals(byte[] bytes, int from, int to) {
        int[] frequencies = literalLengthFrequencies;
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xFF;
            tokens[count++] = b;
            frequencies[b]++;
        }
    }

    /** A match of 3..258 bytes at a distance of 1..32768. */
    void match(int length, int distance) {
        tokens[count++] = length << 16 | distance;
        literalLengthFrequencies[257 + DeflateSymbols.lengthIndex(length)]++;
        distanceFrequencies[DeflateSymbols.distanceCode(distance)]++;
    }

    /** Writes the block with its codes and empties it. */
    void write(BitWriter out, boolean last) throws IOException {
        literalLengthFrequencies[DeflateSymbols.END_OF_BLOCK]++;
        HuffmanCode literals = HuffmanCode.of(literalLengthFrequencies, DeflateSymbols.LITERAL_LENGTH_SYMBOLS,
                MAX_BITS);
        HuffmanCode distances = HuffmanCode.of(distanceFrequencies, DeflateSymbols.DISTANCE_SYMBOLS, MAX_BITS);
        out.write(last ? 1 : 0, 1);
        out.write(2, 2);
        writeCodes(out, literals, distances);
        writeTokens(out, literals, distances);
        out.write(literals.codes[DeflateSymbols.END_OF_BLOCK], literals.lengths[DeflateSymbols.END_OF_BLOCK]);
        count = 0;
        Arrays.fill(literalLengthFrequencies, 0);
        Arrays.fill(distanceFrequencies, 0);
    }

    private void writeTokens(BitWriter out, HuffmanCode literals, HuffmanCode distances) throws IOException {
        int[] literalCodes = literals.codes;
        int[] literalLengths = literals.lengths;
        int[] distanceCodes = distances.codes;
        int[] distanceLengths = distances.lengths;
        for (int i = 0; i < count; i++) {
            int token = tokens[i];
            if (token < 256) {
                out.write(literalCodes[token], literalLengths[token]);
                continue;
            }
            int length = token >>> 16;
            int distance = token & 0xFFFF;
            int index = DeflateSymbols.lengthIndex(length);
            int symbol = 257 + index;
            int extra = DeflateSymbols.lengthExtraBits(index);
            out.write(literalCodes[symbol] | DeflateSymbols.lengthExtraValue(index, length) << literalLengths[symbol],
                    literalLengths[symbol] + extra);
            int code = DeflateSymbols.distanceCode(distance);
            out.write(distanceCodes[code] | DeflateSymbols.distanceExtraValue(code, distance) << distanceLengths[code],
                    distanceLengths[code] + DeflateSymbols.distanceExtraBits(code));
        }
    }

    /**
     * HLIT, HDIST, HCLEN, the code-length code, then both codes' lengths as one sequence run-length coded with
     * symbols 16 (the previous length 3..6 times), 17 (3..10 zeros) and 18 (11..138 zeros).
     */
    private static void writeCodes(BitWriter out, HuffmanCode literals, HuffmanCode distances) throws IOException {
        int literalCount = literals.usedSymbols(257);
        int distanceCount = distances.usedSymbols(1);
        int[] all = new int[literalCount + distanceCount];
        System.arraycopy(literals.lengths, 0, all, 0, literalCount);
        System.arraycopy(distances.lengths, 0, all, literalCount, distanceCount);
        int[] runs = new int[all.length];
        int runCount = runLengths(all, runs);
        int[] frequencies = new int[19];
        for (int r = 0; r < runCount; r++) {
            frequencies[runs[r] & 0x1F]++;
        }
        HuffmanCode lengthCode = HuffmanCode.of(frequencies, 19, MAX_CODE_LENGTH_BITS);
        int codeLengthCount = 19;
        while (codeLengthCount > 4 && lengthCode.lengths[CODE_LENGTH_ORDER[codeLengthCount - 1]] == 0) {
            codeLengthCount--;
        }
        out.write(literalCount - 257, 5);
        out.write(distanceCount - 1, 5);
        out.write(codeLengthCount - 4, 4);
        for (int i = 0; i < codeLengthCount; i++) {
            out.write(lengthCode.lengths[CODE_LENGTH_ORDER[i]], 3);
        }
        for (int r = 0; r < runCount; r++) {
            int symbol = runs[r] & 0x1F;
            out.write(lengthCode.codes[symbol], lengthCode.lengths[symbol]);
            switch (symbol) {
                case 16 -> out.write(runs[r] >>> 8, 2);
                case 17 -> out.write(runs[r] >>> 8, 3);
                case 18 -> out.write(runs[r] >>> 8, 7);
                default -> {
                }
            }
        }
    }

    /** The lengths as code-length symbols, each {@code extra << 8 | symbol}; returns how many. */
    private static int runLengths(int[] lengths, int[] runs) {
        int count = 0;
        int i = 0;
        while (i < lengths.length) {
            int length = lengths[i];
            int run = 1;
            while (i + run < lengths.length && lengths[i + run] == length) {
                run++;
            }
            i += run;
            if (length == 0) {
                while (run >= 11) {
                    int n = Math.min(run, 138);
                    runs[count++] = (n - 11) << 8 | 18;
                    run -= n;
                }
                if (run >= 3) {
                    runs[count++] = (run - 3) << 8 | 17;
                    run = 0;
                }
            } else {
                runs[count++] = length;
                run--;
                while (run >= 3) {
                    int n = Math.min(run, 6);
                    runs[count++] = (n - 3) << 8 | 16;
                    run -= n;
                }
            }
            while (run-- > 0) {
                runs[count++] = length;
            }
        }
        return count;
    }
}

package io.vedetta.agent.deflate;

import java.util.Arrays;

/**
 * A canonical prefix code (RFC 1951, 3.2.2) built from one block's symbol frequencies, its lengths limited to what
 * deflate allows (15 bits, 7 for the code-length code). Every code it builds is complete and has at least two
 * symbols: some decoders (GNU gzip's among them) refuse an incomplete code, and a single symbol cannot make a
 * complete one.
 */
final class HuffmanCode {

    /** By symbol: the code's length in bits (0 for a symbol that is not used). */
    final int[] lengths;
    /** By symbol: the code, bit-reversed, since deflate sends Huffman codes from their most significant bit. */
    final int[] codes;

    private HuffmanCode(int[] lengths) {
        this.lengths = lengths;
        this.codes = canonicalCodes(lengths);
    }

    static HuffmanCode of(int[] frequencies, int symbols, int maxBits) {
        return new HuffmanCode(lengths(frequencies, symbols, maxBits));
    }

    /** The number of symbols up to the last one used, at least {@code minimum} (HLIT, HDIST, HCLEN). */
    int usedSymbols(int minimum) {
        int n = lengths.length;
        while (n > minimum && lengths[n - 1] == 0) {
            n--;
        }
        return n;
    }

    private static int[] lengths(int[] frequencies, int symbols, int maxBits) {
        int[] lengths = new int[symbols];
        int used = 0;
        for (int s = 0; s < symbols; s++) {
            if (frequencies[s] > 0) {
                used++;
            }
        }
        if (used < 2) {
            // One symbol or none: two codes of one bit, the used one (if any) and another.
            int first = 0;
            while (first < symbols && frequencies[first] == 0) {
                first++;
            }
            first = first == symbols ? 0 : first;
            lengths[first] = 1;
            lengths[first == 0 ? 1 : 0] = 1;
            return lengths;
        }
        // Leaves sorted by frequency (the symbol breaks ties, so that the same block gives the same code).
        long[] leaves = new long[used];
        int n = 0;
        for (int s = 0; s < symbols; s++) {
            if (frequencies[s] > 0) {
                leaves[n++] = ((long) frequencies[s] << 16) | s;
            }
        }
        Arrays.sort(leaves);
        int[] depths = treeDepths(leaves);
        int[] countByLength = limitedCounts(depths, maxBits);
        // The longest codes go to the least frequent symbols.
        int leaf = 0;
        for (int length = maxBits; length >= 1; length--) {
            for (int k = 0; k < countByLength[length]; k++) {
                lengths[(int) (leaves[leaf++] & 0xFFFF)] = length;
            }
        }
        return lengths;
    }

    /**
     * The depth of each leaf in a Huffman tree of the sorted leaves, by the two-queue method: the internal nodes are
     * made in order of weight, so the two lightest nodes are always at the heads of the leaves and of the nodes.
     */
    private static int[] treeDepths(long[] leaves) {
        int n = leaves.length;
        long[] weight = new long[2 * n - 1];
        int[] parent = new int[2 * n - 1];
        for (int i = 0; i < n; i++) {
            weight[i] = leaves[i] >>> 16;
        }
        int nextLeaf = 0;
        int nextNode = n;
        for (int made = n; made < 2 * n - 1; made++) {
            int[] pair = new int[2];
            for (int k = 0; k < 2; k++) {
                if (nextLeaf < n && (nextNode == made || weight[nextLeaf] <= weight[nextNode])) {
                    pair[k] = nextLeaf++;
                } else {
                    pair[k] = nextNode++;
                }
            }
            weight[made] = weight[pair[0]] + weight[pair[1]];
            parent[pair[0]] = made;
            parent[pair[1]] = made;
        }
        int[] depth = new int[2 * n - 1];
        for (int node = 2 * n - 3; node >= 0; node--) {
            depth[node] = depth[parent[node]] + 1;
        }
        return Arrays.copyOf(depth, n);
    }

    /**
     * How many codes of each length, the lengths past {@code maxBits} brought back to it: each step moves a leaf
     * from a shorter level one level down, where it pairs with a leaf from the longest level, until the code is
     * complete again (the Kraft sum exactly one).
     */
    private static int[] limitedCounts(int[] depths, int maxBits) {
        int[] count = new int[maxBits + 1];
        for (int depth : depths) {
            count[Math.min(depth, maxBits)]++;
        }
        long kraft = 0;
        for (int length = 1; length <= maxBits; length++) {
            kraft += (long) count[length] << (maxBits - length);
        }
        while (kraft > 1L << maxBits) {
            int length = maxBits - 1;
            while (count[length] == 0) {
                length--;
            }
            count[length]--;
            count[length + 1] += 2;
            count[maxBits]--;
            kraft--;
        }
        return count;
    }

    private static int[] canonicalCodes(int[] lengths) {
        int[] countByLength = new int[16];
        for (int length : lengths) {
            countByLength[length]++;
        }
        countByLength[0] = 0;
        int[] next = new int[16];
        int code = 0;
        for (int length = 1; length < 16; length++) {
            code = (code + countByLength[length - 1]) << 1;
            next[length] = code;
        }
        int[] codes = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            int length = lengths[s];
            if (length > 0) {
                codes[s] = Integer.reverse(next[length]++) >>> (32 - length);
            }
        }
        return codes;
    }
}

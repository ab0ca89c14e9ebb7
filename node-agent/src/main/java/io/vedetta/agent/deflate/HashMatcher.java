package io.vedetta.agent.deflate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Greedy LZ77 matching by a hash of the next four bytes, one candidate per hash (the last position it was seen
 * at): a metrics body repeats long runs (a family's name and most of a series' labels recur series after series),
 * so the first candidate found is usually good, and a match is extended by a vectorised comparison
 * ({@link Arrays#mismatch}) rather than byte by byte. Positions are kept as offsets in the stream, so that the
 * table survives the window's slide without being rewritten.
 */
final class HashMatcher {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int HASH_BITS = 15;
    /** Misses before the probe starts skipping: 2^SKIP_SHIFT. */
    private static final int SKIP_SHIFT = 1;
    private static final int NOWHERE = Integer.MIN_VALUE / 2;
    /** Positions in the stream are rebased before they could overflow an int. */
    static final int REBASE_AT = 1 << 30;

    private final int[] lastSeen = new int[1 << HASH_BITS];

    HashMatcher() {
        Arrays.fill(lastSeen, NOWHERE);
    }

    /** Forgets every position: after a rebase, the stream's offsets start again. */
    void forget() {
        Arrays.fill(lastSeen, NOWHERE);
    }

    /**
     * Tokenises {@code window[from, to)} into {@code block}, matching against up to 32 KiB before {@code from};
     * {@code streamBase} is the stream offset of {@code window[0]} (no byte before stream offset 0 is matched).
     * Literals are held back until the next match, which may then reach back over them: the hash only finds a
     * repeat at its fourth byte or later once the probe has been skipping ahead through unmatched bytes.
     */
    void tokenize(byte[] window, int from, int to, int streamBase, TokenBlock block) {
        int floor = Math.max(0, -streamBase);
        int anchor = from;
        int i = from;
        int misses = 0;
        int hashable = to - 3;
        while (i < hashable) {
            int next = (int) INT.get(window, i);
            int hash = (next * 0x9E3779B1) >>> (32 - HASH_BITS);
            int position = streamBase + i;
            int distance = position - lastSeen[hash];
            lastSeen[hash] = position;
            if (distance > DeflateSymbols.MAX_DISTANCE || (int) INT.get(window, i - distance) != next) {
                // Through bytes that do not repeat (a container's ID, a value), probe less often the longer
                // nothing is found.
                i += 1 + (misses++ >> SKIP_SHIFT);
                continue;
            }
            int start = i;
            while (start > anchor && start - distance > floor
                    && window[start - 1] == window[start - 1 - distance]) {
                start--;
            }
            block.literals(window, anchor, start);
            int longest = Math.min(DeflateSymbols.MAX_MATCH, to - start);
            int length = matchLength(window, start, start - distance, longest);
            block.match(length, distance);
            i = start + length;
            anchor = i;
            misses = 0;
        }
        block.literals(window, anchor, to);
    }

    private static int matchLength(byte[] window, int at, int earlier, int longest) {
        int mismatch = Arrays.mismatch(window, at, at + longest, window, earlier, earlier + longest);
        return mismatch < 0 ? longest : mismatch;
    }
}

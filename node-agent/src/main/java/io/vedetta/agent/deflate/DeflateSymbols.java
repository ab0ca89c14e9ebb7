package io.vedetta.agent.deflate;

/**
 * RFC 1951's mapping of match lengths (3..258) and distances (1..32768) to their symbols and extra bits, as tables
 * looked up once per match: computing them by search or logarithm per match would cost more than the rest of
 * writing it.
 */
final class DeflateSymbols {

    static final int MIN_MATCH = 3;
    static final int MAX_MATCH = 258;
    static final int MAX_DISTANCE = 1 << 15;
    static final int END_OF_BLOCK = 256;
    static final int LITERAL_LENGTH_SYMBOLS = 286;
    static final int DISTANCE_SYMBOLS = 30;

    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
        59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    private static final int[] DISTANCE_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DISTANCE_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13};

    /** By length: the length symbol's index (0..28, symbol 257 + index). */
    private static final byte[] LENGTH_INDEX = new byte[MAX_MATCH + 1];
    /** By distance - 1: the distance symbol. */
    private static final byte[] DISTANCE_CODE = new byte[MAX_DISTANCE];

    static {
        for (int index = 0; index < LENGTH_BASE.length; index++) {
            int end = index + 1 < LENGTH_BASE.length ? LENGTH_BASE[index + 1] : MAX_MATCH + 1;
            for (int length = LENGTH_BASE[index]; length < end; length++) {
                LENGTH_INDEX[length] = (byte) index;
            }
        }
        for (int code = 0; code < DISTANCE_BASE.length; code++) {
            int end = code + 1 < DISTANCE_BASE.length ? DISTANCE_BASE[code + 1] : MAX_DISTANCE + 1;
            for (int distance = DISTANCE_BASE[code]; distance < end; distance++) {
                DISTANCE_CODE[distance - 1] = (byte) code;
            }
        }
    }

    private DeflateSymbols() {
    }

    /** The index (0..28) of a length's symbol; the symbol is 257 + index. */
    static int lengthIndex(int length) {
        return LENGTH_INDEX[length];
    }

    static int lengthExtraBits(int index) {
        return LENGTH_EXTRA[index];
    }

    static int lengthExtraValue(int index, int length) {
        return length - LENGTH_BASE[index];
    }

    static int distanceCode(int distance) {
        return DISTANCE_CODE[distance - 1];
    }

    static int distanceExtraBits(int code) {
        return DISTANCE_EXTRA[code];
    }

    static int distanceExtraValue(int code, int distance) {
        return distance - DISTANCE_BASE[code];
    }
}

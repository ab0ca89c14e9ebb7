package io.vedetta.logs.tail;

/**
 * 64-bit FNV-1a over a byte range: cheap enough to run on the bytes before every line's end, used for
 * fingerprints and for the bytes before a saved offset. Not a defence against crafted input, which is fine:
 * a collision can only make one container's file look like another version of itself.
 */
final class ContentHash {

    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private ContentHash() {
    }

    static long of(byte[] bytes, int offset, int length) {
        long h = OFFSET_BASIS;
        for (int i = offset; i < offset + length; i++) {
            h ^= bytes[i] & 0xff;
            h *= PRIME;
        }
        return h;
    }
}

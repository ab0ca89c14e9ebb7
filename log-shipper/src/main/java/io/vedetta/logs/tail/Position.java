package io.vedetta.logs.tail;

/**
 * A point in a file that reading may resume from, with a hash of the {@code tailLength} bytes before it
 * (at most {@link TailedFile#TAIL_BYTES}) so that a truncated or replaced file is recognised.
 */
record Position(long offset, int tailLength, long tailHash) {

    static final Position START = new Position(0, 0, ContentHash.of(new byte[0], 0, 0));
}

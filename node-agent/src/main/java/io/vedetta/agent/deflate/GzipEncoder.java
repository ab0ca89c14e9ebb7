package io.vedetta.agent.deflate;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * A gzip stream (RFC 1952) of deflate blocks (RFC 1951) of our own: greedy hash matching ({@link HashMatcher}) and
 * a dynamic Huffman block per 64 KiB of input. On a full node's metrics body it costs a fraction of the JDK's zlib
 * at its fastest level (measured in {@code BENCHMARKS.md}), because the body is mostly long repeats that a single
 * hash probe and a vectorised comparison find, where zlib searches a chain at every byte.
 *
 * <p>The compressed bytes go to the destination 64 KiB at a time (a chunked response writes each piece as a chunk
 * and a system call). {@link #close} ends the stream (final block, CRC-32 and length) and closes the destination;
 * {@link #abandon} lets it go without either, so that a body whose writing failed stays cut short for the reader.
 */
public final class GzipEncoder extends OutputStream {

    private static final int HISTORY = DeflateSymbols.MAX_DISTANCE;
    private static final int CHUNK = 1 << 16;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream destination;
    private final BitWriter out;
    private final HashMatcher matcher = new HashMatcher();
    private final TokenBlock block = new TokenBlock(CHUNK);
    private final CRC32 crc = new CRC32();
    /** {@code HISTORY} bytes already compressed (matches may reach back into them), then the chunk being filled. */
    private final byte[] window = new byte[HISTORY + CHUNK];
    private int filled = HISTORY;
    /** The stream offset of {@code window[0]} (negative until a whole history has been written). */
    private int streamBase = -HISTORY;
    private long total;
    private boolean ended;

    public GzipEncoder(OutputStream destination) throws IOException {
        this.destination = destination;
        this.out = new BitWriter(destination);
        out.writeBytes(HEADER);
    }

    /** Single bytes are rare here ({@code /metrics} hands over whole buffers): no fast path for them. */
    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Fills the chunk, compressing it as soon as it is full. */
    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        while (offset < end) {
            int n = Math.min(end - offset, window.length - filled);
            System.arraycopy(bytes, offset, window, filled, n);
            filled += n;
            offset += n;
            if (filled == window.length) {
                compressChunk(false);
            }
        }
    }

    /** Nothing is forced out before {@link #close}: a deflate flush would end a block early for nothing. */
    @Override
    public void flush() {
    }

    /** The final block, the trailer, and the destination's close. */
    @Override
    public void close() throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        compressChunk(true);
        out.alignToByte();
        long checksum = crc.getValue();
        out.writeBytes(new byte[] {(byte) checksum, (byte) (checksum >>> 8), (byte) (checksum >>> 16),
            (byte) (checksum >>> 24), (byte) total, (byte) (total >>> 8), (byte) (total >>> 16),
            (byte) (total >>> 24)});
        out.drain();
        destination.close();
    }

    /** Ends without the final block and trailer; the destination is left to its owner. */
    public void abandon() {
        ended = true;
    }

    /**
     * Tokenises the chunk into one block and slides the window so that its last 32 KiB are the next chunk's history.
     */
    private void compressChunk(boolean last) throws IOException {
        int length = filled - HISTORY;
        crc.update(window, HISTORY, length);
        total += length;
        matcher.tokenize(window, HISTORY, filled, streamBase, block);
        block.write(out, last);
        System.arraycopy(window, filled - HISTORY, window, 0, HISTORY);
        streamBase += length;
        filled = HISTORY;
        if (streamBase > HashMatcher.REBASE_AT) {
            matcher.forget();
            streamBase = -HISTORY;
        }
    }
}

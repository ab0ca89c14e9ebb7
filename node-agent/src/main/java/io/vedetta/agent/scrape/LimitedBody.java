package io.vedetta.agent.scrape;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body read within the target's limits: more than {@code maxBytes} (uncompressed) fails the scrape
 * ({@code body_size_limit}), as does reading past the deadline ({@code timeout}, for a target that trickles).
 */
final class LimitedBody extends FilterInputStream {

    private final long maxBytes;
    private final long deadlineNanos;
    private final byte[] one = new byte[1];
    private long read;

    /** {@code maxBytes} 0 means no limit. */
    LimitedBody(InputStream in, long maxBytes, long deadlineNanos) {
        super(in);
        this.maxBytes = maxBytes;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (System.nanoTime() > deadlineNanos) {
            throw new ScrapeFailure("timeout", "the body was still arriving at the scrape timeout");
        }
        int n = super.read(b, off, len);
        if (n > 0) {
            read += n;
            if (maxBytes > 0 && read > maxBytes) {
                throw new ScrapeFailure("body_size_limit", "the body is longer than scrape.bodySizeLimit ("
                        + maxBytes + " bytes)");
            }
        }
        return n;
    }
}

package io.vedetta.agent.metrics.kubelet;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body that must be as long as its {@code Content-Length} says. The JDK's {@code HttpURLConnection}
 * reports a chunked body cut before its last chunk and a reset connection as errors, but hands a body that ends
 * before its declared length to the reader as if it were whole; a kubelet response cut that way would be parsed
 * as a shorter scrape. Here the end of such a body is an {@link EOFException}, so the collection fails instead.
 */
final class DeclaredLengthBody extends FilterInputStream {

    private final long declared;
    private long read;

    /** {@code raw} as received (before any gzip decoding), whose {@code Content-Length} is {@code declared}. */
    DeclaredLengthBody(InputStream raw, long declared) {
        super(raw);
        this.declared = declared;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            checkComplete();
        } else {
            read++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            checkComplete();
        } else {
            read += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        read += skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void checkComplete() throws EOFException {
        if (read < declared) {
            throw new EOFException("the body ended after " + read + " of the " + declared
                    + " bytes its Content-Length announced");
        }
    }
}

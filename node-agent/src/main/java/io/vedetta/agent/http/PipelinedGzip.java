package io.vedetta.agent.http;

import io.vedetta.agent.deflate.GzipEncoder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A gzip stream ({@link GzipEncoder}) whose compression runs on another thread while the caller goes on writing:
 * what is written is handed over in 64 KiB buffers (a few in flight, reused). On a full node, writing the
 * exposition and compressing it each take a CPU for tens of milliseconds; one after the other they added up
 * (measured by {@code scripts/bench metrics}). A failure of either side ends the other: the writer gets the
 * compressor's exception at its next hand-over, and {@link #close} sends what was written and waits for it.
 *
 * <p>The other thread is only started once the body outgrows the first buffer: a smaller body (a node's own
 * series, ~20 KiB) is compressed on the caller's thread at {@link #close}, where waking a second thread and waiting
 * for it cost more than compressing, and lengthened the slowest scrapes on a busy machine.
 */
final class PipelinedGzip extends OutputStream {

    private static final int BUFFER_BYTES = 1 << 16;
    private static final int IN_FLIGHT = 4;
    private static final long POLL_MILLIS = 100;
    private static final long ABANDON_WAIT_SECONDS = 5;

    private record Chunk(byte[] bytes, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1);

    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final OutputStream out;
    private final ExecutorService executor;
    private Future<?> compressor;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread worker;
    private volatile boolean abandoned;
    private byte[] buffer = new byte[BUFFER_BYTES];
    private int count;
    private boolean closed;

    PipelinedGzip(OutputStream out, ExecutorService executor) {
        this.out = out;
        this.executor = executor;
    }

    /** The other thread, with the buffers it hands back; started at the first hand-over. */
    private Future<?> compressor() {
        if (compressor == null) {
            for (int i = 1; i < IN_FLIGHT; i++) {
                free.add(new byte[BUFFER_BYTES]);
            }
            compressor = executor.submit(() -> {
                compress();
                return null;
            });
        }
        return compressor;
    }

    /**
     * Compresses the chunks until the end; the gzip trailer and the destination's close come only then. On a failure
     * or {@link #abandon} neither is written: a whole gzip stream of part of a body would pass for the whole body.
     */
    private void compress() throws IOException, InterruptedException {
        worker = Thread.currentThread();
        GzipEncoder gzip = null;
        try {
            if (abandoned) {
                throw new InterruptedException("abandoned before it started");
            }
            gzip = new GzipEncoder(out);
            for (Chunk chunk = full.take(); chunk != END; chunk = full.take()) {
                gzip.write(chunk.bytes, 0, chunk.length);
                free.put(chunk.bytes);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (gzip != null) {
                gzip.abandon();
            }
            throw e;
        } finally {
            worker = null;
            stopped.countDown();
        }
        gzip.close();
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            handOver();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (count == buffer.length) {
                handOver();
            }
            int n = Math.min(length, buffer.length - count);
            System.arraycopy(bytes, offset, buffer, count, n);
            count += n;
            offset += n;
            length -= n;
        }
    }

    /** Nothing is forced out before {@link #close}: a gzip flush would cost compression for nothing. */
    @Override
    public void flush() {
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (compressor == null) {
            try (GzipEncoder gzip = new GzipEncoder(out)) {
                gzip.write(buffer, 0, count);
            }
            return;
        }
        if (count > 0) {
            enqueue(new Chunk(buffer, count));
        }
        enqueue(END);
        try {
            compressor.get();
        } catch (InterruptedException e) {
            throw interrupted();
        } catch (ExecutionException e) {
            throw failure(e);
        }
    }

    /**
     * Lets the body go unfinished, after its writer failed: what was compressed so far may have been sent, but the
     * gzip trailer and the destination's end are not, so that the scraper sees a body cut short rather than a whole
     * one with series missing. Waits (a few seconds at most) for the compressor to stop, interrupted in whatever it
     * was waiting for; the destination is left to its owner.
     */
    void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        if (compressor == null) {
            return;
        }
        abandoned = true;
        Thread running = worker;
        if (running != null) {
            running.interrupt();
        }
        try {
            stopped.await(ABANDON_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handOver() throws IOException {
        enqueue(new Chunk(buffer, count));
        count = 0;
        try {
            byte[] next;
            while ((next = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                failIfCompressorEnded();
            }
            buffer = next;
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private void enqueue(Chunk chunk) throws IOException {
        compressor();
        try {
            while (!full.offer(chunk, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                failIfCompressorEnded();
            }
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private void failIfCompressorEnded() throws IOException {
        if (!compressor.isDone()) {
            return;
        }
        try {
            compressor.get();
            throw new IOException("the compressor ended before the response did");
        } catch (InterruptedException e) {
            throw interrupted();
        } catch (ExecutionException e) {
            throw failure(e);
        }
    }

    /** The writer was interrupted: the compressor is cancelled and the interrupt kept for the caller. */
    private InterruptedIOException interrupted() {
        compressor.cancel(true);
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while the response was being compressed");
    }

    /** A new exception each time it is reported: the writer and {@link #close} may both report it. */
    private static IOException failure(ExecutionException e) {
        Throwable cause = e.getCause();
        return new IOException(cause instanceof IOException ? cause.getMessage()
                : "compressing the response failed: " + cause, cause);
    }
}

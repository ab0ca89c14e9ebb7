package io.vedetta.agent.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip stream at the fastest level whose compression runs on another thread while the caller goes on writing:
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

    private record Chunk(byte[] bytes, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1);

    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final OutputStream out;
    private final ExecutorService executor;
    private Future<?> compressor;
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

    private void compress() throws IOException, InterruptedException {
        try (GZIPOutputStream gzip = fastestGzip(out)) {
            for (Chunk chunk = full.take(); chunk != END; chunk = full.take()) {
                gzip.write(chunk.bytes, 0, chunk.length);
                free.put(chunk.bytes);
            }
        }
    }

    private static GZIPOutputStream fastestGzip(OutputStream out) throws IOException {
        return new GZIPOutputStream(out, BUFFER_BYTES) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
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
            try (GZIPOutputStream gzip = fastestGzip(out)) {
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

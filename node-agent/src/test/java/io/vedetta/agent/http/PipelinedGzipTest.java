package io.vedetta.agent.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vedetta.agent.deflate.Gunzip;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelinedGzipTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Text-like bytes with some randomness, larger than many of the stream's buffers. */
    private static byte[] body(int length) {
        Random random = new Random(42);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (random.nextInt(10) == 0 ? random.nextInt(256) : 'a' + i % 26);
        }
        return bytes;
    }

    @Test
    void whatIsWrittenInPiecesOfAnySizeGunzipsToTheSameBytes() throws Exception {
        byte[] body = body(3 << 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PipelinedGzip gzip = new PipelinedGzip(out, executor)) {
            int i = 0;
            for (int piece = 1; i < body.length; piece = piece * 7 % 200_003 + 1) {
                if (piece % 3 == 0) {
                    gzip.write(body[i++]);
                } else {
                    int n = Math.min(piece, body.length - i);
                    gzip.write(body, i, n);
                    i += n;
                }
            }
        }

        assertArrayEquals(body, Gunzip.byJdk(out.toByteArray()), "by the JDK");
        assertArrayEquals(body, Gunzip.byGzipBinary(out.toByteArray()), "by gzip -dc");
    }

    @Test
    void aBodyThatFitsOneBufferIsCompressedOnTheWritersThread() throws Exception {
        ExecutorService refusing = Executors.newSingleThreadExecutor();
        refusing.shutdown();
        for (int length : new int[] {0, 20_000, 1 << 16}) {
            byte[] body = body(length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PipelinedGzip gzip = new PipelinedGzip(out, refusing)) {
                gzip.write(body, 0, length / 2);
                gzip.write(body, length / 2, length - length / 2);
            }

            assertArrayEquals(body, Gunzip.byJdk(out.toByteArray()), length + " bytes by the JDK");
            assertArrayEquals(body, Gunzip.byGzipBinary(out.toByteArray()), length + " bytes by gzip -dc");
        }
    }

    @Test
    void aDestinationThatFailsFailsTheWriterWithItsException() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("connection reset by the scraper");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                write(0);
            }
        };
        byte[] body = body(4 << 20);

        IOException e = assertThrows(IOException.class, () -> {
            try (PipelinedGzip gzip = new PipelinedGzip(broken, executor)) {
                for (int i = 0; i < 16; i++) {
                    gzip.write(body);
                }
            }
        });

        assertEquals("connection reset by the scraper", e.getMessage());
    }

    @Test
    void anAbandonedBodyIsNeitherFinishedNorClosed() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        PipelinedGzip gzip = new PipelinedGzip(out, executor);
        gzip.write(body(1 << 20));

        gzip.abandon();

        assertFalse(closed[0], "the destination is left to its owner, unended");
        byte[] sent = out.toByteArray();
        assertThrows(EOFException.class, () -> Gunzip.byJdk(sent),
                "what was sent is not a whole gzip stream, so it cannot pass for a whole body");
        assertThrows(IOException.class, () -> Gunzip.byGzipBinary(sent), "nor for gzip -dc");
    }
}

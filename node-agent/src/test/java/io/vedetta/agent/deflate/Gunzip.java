package io.vedetta.agent.deflate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Two independent readers of a gzip stream: the JDK's ({@code GZIPInputStream}, zlib's inflate) and the real
 * {@code gzip -dc} binary (GNU gzip's own inflate, stricter about incomplete Huffman codes).
 */
public final class Gunzip {

    private Gunzip() {
    }

    public static byte[] byJdk(byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }

    /** What {@code gzip -dc} writes for the stream; fails with gzip's complaint when it exits with an error. */
    public static byte[] byGzipBinary(byte[] gzipped) throws IOException, InterruptedException {
        Process gzip = new ProcessBuilder("gzip", "-dc").start();
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
            try (OutputStream in = gzip.getOutputStream()) {
                in.write(gzipped);
            } catch (IOException e) {
                // gzip stopped reading (it found an error); its exit status says so.
            }
        });
        CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> {
            try (InputStream err = gzip.getErrorStream()) {
                return err.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] out;
        try (InputStream stdout = gzip.getInputStream()) {
            out = stdout.readAllBytes();
        }
        if (!gzip.waitFor(60, TimeUnit.SECONDS)) {
            gzip.destroyForcibly();
            throw new IOException("gzip -dc did not finish within 60 s");
        }
        feeding.join();
        int status = gzip.exitValue();
        if (status != 0) {
            throw new IOException("gzip -dc exited with " + status + ": " + new String(errors.join()).trim());
        }
        return out;
    }
}

package io.vedetta.agent.scrape;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.config.EscapingScheme;
import io.vedetta.agent.metrics.ExpositionWriter;
import io.vedetta.agent.metrics.PassThroughFamily;
import io.vedetta.agent.metrics.ServedRegistry;
import io.vedetta.agent.metrics.ServedSeries;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The agent's own series, everything its {@code /metrics} serves, as a target, so that they take the same path as a
 * pod's (the same appender, relabelling, staleness and write-ahead log). The kubelet's families passed through as
 * encoded series (most of a full node's) are handed over as a lexer would hand over their lines ({@link
 * PassThroughFamily#replay}): writing their 10 MiB as text and lexing it back was a seventh of the agent's CPU in
 * {@code scripts/bench remote-write}. The rest, client_java's snapshots, is written in the text format by the writer
 * of {@code /metrics} (so the names are exactly those of {@code /metrics}) on a thread of its own, into a pipe the
 * scrape reads like any body, without holding all of its text in memory. A write that fails fails the scrape,
 * whatever had been read.
 */
final class SelfExposition implements Exposition, AutoCloseable {

    private static final int PIPE_BYTES = 1 << 16;

    private final ServedRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final ExecutorService writing = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vedetta-self-scrape");
        t.setDaemon(true);
        return t;
    });

    SelfExposition(ServedRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Body open(long timeoutMillis) throws IOException {
        ServedSeries served;
        try {
            served = registry.expose(null, null);
        } catch (RuntimeException e) {
            throw new IOException("collecting the agent's own series failed: " + e, e);
        }
        PipedInputStream in = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream pipe = new PipedOutputStream(in);
        Future<?> written = writing.submit(() -> {
            try (OutputStream out = new BufferedOutputStream(pipe, PIPE_BYTES)) {
                ExpositionWriter.write(out, new ServedSeries(served.snapshots(), List.of()), writer,
                        EscapingScheme.DEFAULT);
            }
            return null;
        });
        InputStream checked = new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    checkWritten(written);
                }
                return n;
            }
        };
        return new Body(checked, Format.PROMETHEUS_TEXT, () -> {
            written.cancel(true);
            in.close();
        }, listener -> served.passThrough().forEach(family -> family.replay(listener)));
    }

    private static void checkWritten(Future<?> written) throws IOException {
        try {
            written.get();
        } catch (ExecutionException e) {
            throw new IOException("writing the agent's own series failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the agent's own series", e);
        }
    }

    @Override
    public void close() {
        writing.shutdownNow();
    }
}

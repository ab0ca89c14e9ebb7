package io.vedetta.logs.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes documents as NDJSON (one JSON object per line) to a file or to standard output, and acknowledges a
 * batch once it is flushed to the operating system. For the standalone shipper, demos and tests; a crash of
 * the machine (not of the process) can lose what the kernel had not yet written.
 */
public final class FileSink implements Sink {

    static final String WRITTEN = "vedetta.log.sink.file.written";
    static final String ERRORS = "vedetta.log.sink.file.errors";
    private static final Logger LOG = LoggerFactory.getLogger(FileSink.class);

    private final String target;
    private final OutputStream out;
    private final JsonGenerator generator;
    private final Counter written;
    private final Counter errors;
    private boolean failing;

    private FileSink(String target, OutputStream out, MeterRegistry registry) throws IOException {
        this.target = target;
        this.out = out;
        this.generator = new JsonFactory().createGenerator(out).setRootValueSeparator(null);
        this.written = Counter.builder(WRITTEN).tag("target", target)
                .description("Records written and flushed by the file sink").register(registry);
        this.errors = Counter.builder(ERRORS).tag("target", target)
                .description("Batches the file sink failed to write; their records stay unacknowledged")
                .register(registry);
    }

    /** Appends to {@code file}, creating it if needed. */
    public static FileSink appendingTo(Path file, MeterRegistry registry) throws IOException {
        return new FileSink(file.toString(), new BufferedOutputStream(new FileOutputStream(file.toFile(), true)),
                registry);
    }

    public static FileSink toStdout(MeterRegistry registry) throws IOException {
        // Not closed with the sink: standard output belongs to the process.
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out)) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
        return new FileSink("stdout", stdout, registry);
    }

    @Override
    public synchronized CompletableFuture<Void> send(List<SinkRecord> batch) {
        try {
            for (SinkRecord record : batch) {
                record.document().writeTo(generator);
                generator.writeRaw('\n');
            }
            generator.flush();
            out.flush();
        } catch (IOException | RuntimeException e) {
            errors.increment();
            if (!failing) {
                LOG.error("file sink cannot write to {}; records stay unacknowledged: {}", target, e.toString());
            }
            failing = true;
            return CompletableFuture.failedFuture(e);
        }
        failing = false;
        written.increment(batch.size());
        batch.forEach(r -> r.ack().acknowledge());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void close() {
        try {
            generator.close();
            out.close();
        } catch (IOException e) {
            errors.increment();
            LOG.error("closing the file sink on {} failed: {}", target, e.toString());
        }
    }
}

package io.vedetta.logs.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.record.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
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
    static final String DROPPED = "vedetta.log.sink.file.dropped";
    private static final Logger LOG = LoggerFactory.getLogger(FileSink.class);

    private final String target;
    private final OutputStream out;
    private final JsonFactory json = new JsonFactory();
    private final Counter written;
    private final Counter errors;
    private final Counter dropped;
    private boolean failing;

    private FileSink(String target, OutputStream out, MeterRegistry registry) {
        this.target = target;
        this.out = out;
        this.written = Counter.builder(WRITTEN).tag("target", target)
                .description("Records written and flushed by the file sink").register(registry);
        this.errors = Counter.builder(ERRORS).tag("target", target)
                .description("Batches the file sink failed to write; their records stay unacknowledged")
                .register(registry);
        this.dropped = Counter.builder(DROPPED).tag("target", target)
                .description("Records whose document could not be serialised; acknowledged and left out")
                .register(registry);
    }

    /** Appends to {@code file}, creating it if needed. */
    public static FileSink appendingTo(Path file, MeterRegistry registry) throws IOException {
        return new FileSink(file.toString(), new BufferedOutputStream(new FileOutputStream(file.toFile(), true)),
                registry);
    }

    public static FileSink toStdout(MeterRegistry registry) {
        // Not closed with the sink: standard output belongs to the process.
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
        return new FileSink("stdout", stdout, registry);
    }

    @Override
    public synchronized CompletableFuture<Void> send(List<SinkRecord> batch) {
        List<SinkRecord> serialised = new ArrayList<>(batch.size());
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        for (SinkRecord record : batch) {
            one.reset();
            try (JsonGenerator generator = json.createGenerator(one)) {
                record.document().writeTo(generator);
            } catch (IOException | RuntimeException e) {
                // One broken document must not hold back its file's position: counted, logged and let go.
                dropped.increment();
                LOG.error("file sink drops record {}: its document cannot be written: {}", record.id(), e.toString());
                record.ack().acknowledge();
                continue;
            }
            lines.writeBytes(one.toByteArray());
            lines.write('\n');
            serialised.add(record);
        }
        try {
            lines.writeTo(out);
            out.flush();
        } catch (IOException e) {
            errors.increment();
            if (!failing) {
                LOG.error("file sink cannot write to {}; records stay unacknowledged: {}", target, e.toString());
            }
            failing = true;
            return CompletableFuture.failedFuture(e);
        }
        failing = false;
        written.increment(serialised.size());
        serialised.forEach(r -> r.ack().acknowledge());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            errors.increment();
            LOG.error("closing the file sink on {} failed: {}", target, e.toString());
        }
    }
}

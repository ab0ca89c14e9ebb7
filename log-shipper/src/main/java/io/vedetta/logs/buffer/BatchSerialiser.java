package io.vedetta.logs.buffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vedetta.bytes.JsonBytes;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.SinkRecord;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises batches for the buffer: each document as UTF-8 JSON bytes, the very bytes the sinks would write. A
 * document that writes its own bytes ({@link Document#writeUtf8}, the pipeline's documents) does so into one buffer per
 * batch; one already serialised is copied as it is; any other goes through one Jackson generator per batch (a
 * generator per record cost more than some of the documents). Thread-safe: each call has its own buffers.
 */
final class BatchSerialiser {

    private static final Logger LOG = LoggerFactory.getLogger(BatchSerialiser.class);
    // Nothing between the documents one generator writes one after the other.
    private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();

    private final BufferMetrics metrics;

    BatchSerialiser(BufferMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * The batch serialised, in order. A record whose document cannot be written is counted, logged, acknowledged and
     * left out: one broken document must not hold back its file's position.
     */
    SerialisedBatch serialise(List<SinkRecord> batch) {
        SerialisedBatch out = new SerialisedBatch(batch.size());
        JsonBytes bytes = new JsonBytes(4096);
        JsonGenerator generator = null;
        for (SinkRecord record : batch) {
            bytes.truncate(0);
            Document document = record.document();
            try {
                if (document instanceof Document.Serialised serialised) {
                    bytes.writeBytes(serialised.json());
                } else if (!document.writeUtf8(bytes)) {
                    if (generator == null) {
                        generator = JSON.createGenerator(bytes);
                    }
                    document.writeTo(generator);
                    generator.flush();
                }
            } catch (IOException | RuntimeException e) {
                metrics.dropped.increment();
                LOG.error("log buffer drops record {}: its document cannot be written: {}", record.id(), e.toString());
                record.ack().acknowledge();
                // The generator may be inside the object it failed to finish.
                generator = null;
                continue;
            }
            out.add(new StoredRecord(record.id().toString(), document.routingKey(),
                    Arrays.copyOf(bytes.array(), bytes.size()), record.readNanos()), record.ack());
        }
        return out;
    }
}

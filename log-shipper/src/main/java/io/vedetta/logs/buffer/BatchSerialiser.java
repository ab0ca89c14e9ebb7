package io.vedetta.logs.buffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vedetta.bytes.JsonBytes;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RoutingKey;
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
 * generator per record cost more than some of the documents). What it returns can always be framed for a spill
 * segment: a record that cannot goes to the {@link SpillDeadLetters} instead, so memory and disk hold the same
 * records. Thread-safe: each call has its own buffers.
 */
final class BatchSerialiser {

    private static final Logger LOG = LoggerFactory.getLogger(BatchSerialiser.class);
    // Nothing between the documents one generator writes one after the other.
    private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();

    private final BufferMetrics metrics;
    private final SpillDeadLetters deadLetters;

    BatchSerialiser(BufferMetrics metrics, SpillDeadLetters deadLetters) {
        this.metrics = metrics;
        this.deadLetters = deadLetters;
    }

    /**
     * The batch serialised, in order. A record whose document cannot be written is counted, logged, acknowledged and
     * left out: one broken document must not hold back its file's position. One that cannot be framed is left out
     * too, as a dead letter.
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
            String id = record.id().toString();
            RoutingKey routing = document.routingKey();
            byte[] json = Arrays.copyOf(bytes.array(), bytes.size());
            SegmentFormat.Problem problem = SegmentFormat.problem(id, routing);
            if (problem != null) {
                deadLetters.keep(record, id, json, problem);
                continue;
            }
            out.add(new StoredRecord(id, routing, json, record.readNanos()), record.ack());
        }
        return out;
    }
}

package io.vedetta.logs.buffer;

import io.vedetta.logs.record.Acknowledgement;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch in the form the buffer holds it while the sink behind it fails or stalls: its records serialised, each
 * record's acknowledgement beside it, and what they cost the memory budget.
 */
final class SerialisedBatch {

    final List<StoredRecord> records;
    final List<Acknowledgement> acks;
    private long bytes;

    SerialisedBatch(int capacity) {
        records = new ArrayList<>(capacity);
        acks = new ArrayList<>(capacity);
    }

    void add(StoredRecord record, Acknowledgement ack) {
        records.add(record);
        acks.add(ack);
        bytes += record.memoryBytes();
    }

    int size() {
        return records.size();
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    long memoryBytes() {
        return bytes;
    }

    /** When each record was read, for the delivery latency of what goes to disk. */
    long[] readNanos() {
        return records.stream().mapToLong(StoredRecord::readNanos).toArray();
    }
}

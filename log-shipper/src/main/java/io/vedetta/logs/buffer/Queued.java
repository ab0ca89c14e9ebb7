package io.vedetta.logs.buffer;

import io.vedetta.logs.record.Acknowledgement;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.SinkRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A batch queued for the inner sink, made into the records the inner sink sees only when its turn comes. */
abstract class Queued {

    /** Place in the order of batches: a retry goes back to its place, ahead of later batches. */
    final long seq;

    Queued(long seq) {
        this.seq = seq;
    }

    abstract List<SinkRecord> records(Deliveries deliveries) throws IOException;

    /** Records in their original form: a batch passed straight through, or what a failed send left of any batch. */
    static final class Live extends Queued {
        /** Already the inner sink's records, with {@link Deliveries}' acknowledgements. */
        final List<SinkRecord> records;

        Live(long seq, List<SinkRecord> records) {
            super(seq);
            this.records = records;
        }

        @Override
        List<SinkRecord> records(Deliveries deliveries) {
            return records;
        }

        /** False for the retry of a run already on disk: storing it again would only duplicate it. */
        boolean holdsAcknowledgements() {
            return records.stream().anyMatch(Deliveries::live);
        }
    }

    /** A serialised batch kept in memory; {@code release} frees its memory once all of it is delivered. */
    static final class InMemory extends Queued {
        final SerialisedBatch batch;
        private final Runnable release;

        InMemory(long seq, SerialisedBatch batch, Runnable release) {
            super(seq);
            this.batch = batch;
            this.release = release;
        }

        @Override
        List<SinkRecord> records(Deliveries deliveries) {
            Deliveries.Batch tracker = deliveries.batch(release);
            List<SinkRecord> records = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                StoredRecord stored = batch.records.get(i);
                records.add(tracker.wrap(RecordId.of(stored.id()), stored.document(), batch.acks.get(i),
                        stored.readNanos()));
            }
            return records;
        }
    }

    /**
     * A run of a spill segment; {@code release} lets the segment go once all of it is delivered. {@code acks} is null
     * for runs an earlier process left or whose records were acknowledged when stored; {@code readNanos} (when each
     * record was read, for the delivery latency) is null for runs an earlier process left.
     */
    static final class Spilled extends Queued {
        final SegmentFiles.Location run;
        private final List<Acknowledgement> acks;
        private final long[] readNanos;
        private final Runnable release;

        Spilled(long seq, SegmentFiles.Location run, List<Acknowledgement> acks, long[] readNanos, Runnable release) {
            super(seq);
            this.run = run;
            this.acks = acks;
            this.readNanos = readNanos;
            this.release = release;
        }

        @Override
        List<SinkRecord> records(Deliveries deliveries) throws IOException {
            List<StoredRecord> stored = SegmentFiles.read(run);
            if (stored.size() != run.records()) {
                throw new IOException("expected " + run.records() + " records, read " + stored.size());
            }
            Deliveries.Batch tracker = deliveries.batch(release);
            List<SinkRecord> records = new ArrayList<>(stored.size());
            for (int i = 0; i < stored.size(); i++) {
                records.add(tracker.wrap(RecordId.of(stored.get(i).id()), stored.get(i).document(),
                        acks == null ? null : acks.get(i),
                        readNanos == null ? stored.get(i).readNanos() : readNanos[i]));
            }
            return records;
        }
    }
}

package io.vedetta.logs.buffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buffer's disk: appends serialised batches to the spill segments within {@code logs.buffer.diskBytes}, and lets
 * a segment go once all its records are delivered. A failed write is counted every time and logged once until a write
 * succeeds again; the batch then waits for room in memory, or for the disk to take it at a later try. Under the
 * buffer's lock.
 */
final class Spill {

    private static final Logger LOG = LoggerFactory.getLogger(Spill.class);

    private final SegmentFiles segments;
    private final Path dir;
    private final long diskBytes;
    private final BufferMetrics metrics;
    private boolean failing;

    Spill(BufferConfig config, BufferMetrics metrics) throws IOException {
        this.segments = new SegmentFiles(config.dir(), config.segmentBytes());
        this.dir = config.dir();
        this.diskBytes = config.diskBytes();
        this.metrics = metrics;
    }

    /** What an earlier run left, in runs of about {@code runRecords} records, oldest first. */
    List<SegmentFiles.Location> recover(int runRecords, IntConsumer corrupt) throws IOException {
        return segments.recover(runRecords, corrupt);
    }

    /** Bytes the segments take on disk. */
    long bytes() {
        return segments.totalBytes();
    }

    /**
     * Appends {@code records} as one run (synced to the device with {@code sync}); null when the disk budget has no
     * room for them or the write failed.
     */
    SegmentFiles.Location write(List<StoredRecord> records, boolean sync) {
        if (segments.totalBytes() + segments.bytesToAppend(records) > diskBytes) {
            return null;
        }
        try {
            SegmentFiles.Location run = segments.append(records, sync);
            metrics.spilled.increment(records.size());
            failing = false;
            return run;
        } catch (IOException e) {
            metrics.writeErrors.increment();
            if (!failing) {
                LOG.error("cannot write to the spill segments in {}; batches wait for memory to free up: {}", dir,
                        e.toString());
            }
            failing = true;
            return null;
        }
    }

    /** Every record of {@code run} is through (delivered, or skipped as unreadable). */
    void done(SegmentFiles.Location run) {
        try {
            segments.delivered(run.segment(), run.records());
        } catch (IOException e) {
            metrics.writeErrors.increment();
            LOG.error("cannot delete the delivered spill segment {}: {}", run.segment().path, e.toString());
        }
    }

    /** Makes what was written reach the disk. */
    void close() {
        try {
            segments.close();
        } catch (IOException e) {
            metrics.writeErrors.increment();
            LOG.error("closing the spill segments in {} failed: {}", dir, e.toString());
        }
    }
}

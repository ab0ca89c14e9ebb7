package io.vedetta.agent.remotewrite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the write-ahead log record by record for one endpoint, from a position to the end and on as records are
 * appended. It reads only whole records (up to a segment's committed length), moves to the next segment at the end
 * of a closed one, leaves a segment dropped for the size or age limit, and skips the rest of a segment whose record
 * is damaged (counted). Not thread-safe: one reader thread.
 */
public final class WalReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalReader.class);

    private final Wal wal;
    private final WalMetrics metrics;
    private final WalRecords records = new WalRecords();
    private final ByteBuffer header = ByteBuffer.allocate(RecordFile.HEADER_BYTES);
    private final CRC32C crc = new CRC32C();
    private byte[] payload = new byte[1 << 16];
    private FileChannel channel;
    private int segment;
    private long offset;
    private int channelSegment = -1;

    WalReader(Wal wal, WalPosition from, WalMetrics metrics) {
        this.wal = wal;
        this.metrics = metrics;
        this.segment = from.segment();
        this.offset = from.offset();
    }

    /** Where the next record starts. */
    public WalPosition position() {
        return new WalPosition(segment, offset, 0);
    }

    /** The segment and offset of the record {@link #next} returned last. */
    private int recordSegment;
    private long recordOffset;

    public int recordSegment() {
        return recordSegment;
    }

    public long recordOffset() {
        return recordOffset;
    }

    /**
     * The next record's samples ({@link WalRecords#count} of them, with series references, timestamps and values),
     * or null if none was appended within {@code waitMillis}.
     */
    WalRecords next(long waitMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (true) {
            Wal.Segment s = wal.segment(segment);
            if (s == null || s.dropped) {
                Wal.Segment next = wal.segmentFrom(segment + 1);
                if (next == null) {
                    return null;
                }
                moveTo(next.number);
                continue;
            }
            long committed = s.committed;
            if (offset + RecordFile.HEADER_BYTES <= committed) {
                if (read(s, committed)) {
                    return records;
                }
                continue;
            }
            if (s.closed && offset >= s.committed) {
                Wal.Segment next = wal.segmentFrom(segment + 1);
                if (next != null) {
                    moveTo(next.number);
                    continue;
                }
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            wal.awaitData(Math.min(left, 100));
        }
    }

    private void moveTo(int number) throws IOException {
        segment = number;
        offset = 0;
        closeChannel();
    }

    /** Reads the record at {@link #offset}; false when it moved on instead (damage, a vanished file). */
    private boolean read(Wal.Segment s, long committed) throws IOException {
        if (channelSegment != segment) {
            closeChannel();
            try {
                channel = FileChannel.open(s.path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                s.dropped = true;
                return false;
            }
            channelSegment = segment;
        }
        header.clear();
        RecordFile.readFully(channel, header, offset);
        int length = header.getInt(0);
        int checksum = header.getInt(4);
        if (length < 0 || offset + RecordFile.HEADER_BYTES + length > committed) {
            return damaged(s, "a record length of " + length + " at byte " + offset);
        }
        if (payload.length < length) {
            payload = new byte[Math.max(length, payload.length * 2)];
        }
        RecordFile.readFully(channel, ByteBuffer.wrap(payload, 0, length), offset + RecordFile.HEADER_BYTES);
        crc.reset();
        crc.update(payload, 0, length);
        if ((int) crc.getValue() != checksum) {
            return damaged(s, "a checksum mismatch at byte " + offset);
        }
        try {
            records.decode(payload, 0, length);
        } catch (RuntimeException e) {
            return damaged(s, "an unreadable record at byte " + offset + " (" + e.getMessage() + ")");
        }
        recordSegment = segment;
        recordOffset = offset;
        offset += RecordFile.HEADER_BYTES + length;
        return true;
    }

    private boolean damaged(Wal.Segment s, String what) throws IOException {
        metrics.corrupt(s.committed - offset);
        LOG.warn("segment {} of the write-ahead log has {}; the rest of it is skipped", s.path, what);
        Wal.Segment next = wal.segmentFrom(segment + 1);
        if (next == null) {
            offset = s.committed;
        } else {
            moveTo(next.number);
        }
        return false;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        channelSegment = -1;
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}

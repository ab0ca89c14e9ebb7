package io.vedetta.logs.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spill segments of the buffer: append-only files {@code segment-<n>.vbuf} in one directory, each a header and
 * frames ({@link SegmentFormat}). A segment is deleted once every record in it is delivered; what a crash left behind
 * is found again at start, and a frame whose length or checksum does not hold (a write cut short) ends the readable
 * part of its segment. A write that fails (a full disk) leaves nothing behind that a later write or a restart would
 * trip over: a segment whose header could not be written is deleted again, and frames written in part are cut off.
 *
 * <p>Not thread-safe: the {@link SpillingSink} calls it under its lock, except {@link #read}, which only
 * reads bytes already written.
 */
final class SegmentFiles {

    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".vbuf";
    private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);

    /** A run of frames in one segment, read back as one batch. */
    record Location(Segment segment, long offset, int length, int records) {
    }

    /** One segment file, its format's version and how many of its records still wait for delivery. */
    static final class Segment {
        final Path path;
        final long number;
        final int version;
        long bytes;
        int undelivered;

        Segment(Path path, long number, int version, long bytes) {
            this.path = path;
            this.number = number;
            this.version = version;
            this.bytes = bytes;
        }
    }

    private final Path dir;
    private final long segmentBytes;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Segment active;
    private FileChannel activeChannel;
    private long totalBytes;
    /** The number of the next segment: past every segment found or tried, so a file a failed roll left is skipped. */
    private long nextNumber = 1;

    SegmentFiles(Path dir, long segmentBytes) throws IOException {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
    }

    /**
     * Finds the segments an earlier run left and cuts their readable frames into runs of about
     * {@code runRecords} records; {@code corrupt} hears of each segment whose tail cannot be read.
     */
    List<Location> recover(int runRecords, IntConsumer corrupt) throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    found.put(Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length())), file);
                } catch (NumberFormatException e) {
                    LOG.warn("ignoring {} in the buffer directory: not a segment name", file);
                }
            }
        }
        List<Location> runs = new ArrayList<>();
        for (var file : found.entrySet()) {
            byte[] content = Files.readAllBytes(file.getValue());
            Segment segment = new Segment(file.getValue(), file.getKey(), SegmentFormat.version(content),
                    content.length);
            segments.put(segment.number, segment);
            nextNumber = segment.number + 1;
            totalBytes += segment.bytes;
            scan(segment, content, runRecords, runs, corrupt);
            if (segment.undelivered == 0) {
                delete(segment);
            }
        }
        return runs;
    }

    private void scan(Segment segment, byte[] content, int runRecords, List<Location> runs, IntConsumer corrupt) {
        if (segment.version < 0) {
            LOG.error("spill segment {} has no valid header; its {} bytes are skipped", segment.path, content.length);
            corrupt.accept(1);
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(content);
        buffer.position(SegmentFormat.HEADER_BYTES);
        long runStart = buffer.position();
        int runCount = 0;
        while (buffer.hasRemaining()) {
            int frameStart = buffer.position();
            if (SegmentFormat.read(buffer, segment.version, 0) == null) {
                LOG.error("spill segment {} is cut short or corrupt at byte {}; its last {} bytes are skipped",
                        segment.path, frameStart, content.length - frameStart);
                corrupt.accept(1);
                break;
            }
            runCount++;
            if (runCount == runRecords) {
                runs.add(new Location(segment, runStart, (int) (buffer.position() - runStart), runCount));
                segment.undelivered += runCount;
                runStart = buffer.position();
                runCount = 0;
            }
        }
        if (runCount > 0) {
            runs.add(new Location(segment, runStart, (int) (buffer.position() - runStart), runCount));
            segment.undelivered += runCount;
        }
    }

    /** Bytes all segments take on disk. */
    long totalBytes() {
        return totalBytes;
    }

    /** Bytes {@code records} would add to the disk, a new segment's header included. */
    long bytesToAppend(List<StoredRecord> records) {
        long bytes = active == null || active.bytes >= segmentBytes ? SegmentFormat.HEADER_BYTES : 0;
        for (StoredRecord record : records) {
            bytes += SegmentFormat.frameBytes(record);
        }
        return bytes;
    }

    /**
     * Writes {@code records}, each framable ({@link SegmentFormat#problem}), as one run at the end of the active
     * segment (a new one when it is full); with {@code sync}, the run is on the device when this returns.
     */
    Location append(List<StoredRecord> records, boolean sync) throws IOException {
        if (active == null || active.bytes >= segmentBytes) {
            roll();
        }
        int length = 0;
        for (StoredRecord record : records) {
            length += SegmentFormat.frameBytes(record);
        }
        ByteBuffer frames = ByteBuffer.allocate(length);
        CRC32C crc = new CRC32C();
        for (StoredRecord record : records) {
            SegmentFormat.write(record, frames, crc);
        }
        frames.flip();
        long offset = active.bytes;
        try {
            while (frames.hasRemaining()) {
                activeChannel.write(frames, offset + frames.position());
            }
            if (sync) {
                activeChannel.force(false);
            }
        } catch (IOException e) {
            cutBack(offset, e);
            throw e;
        }
        active.bytes += length;
        active.undelivered += records.size();
        totalBytes += length;
        return new Location(active, offset, length, records.size());
    }

    /** The records of a run, checked again against their checksums; their read time is now. */
    static List<StoredRecord> read(Location location) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(location.length());
        try (FileChannel channel = FileChannel.open(location.segment().path, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, location.offset() + buffer.position()) < 0) {
                    throw new IOException("spill segment " + location.segment().path + " ends before byte "
                            + (location.offset() + location.length()));
                }
            }
        }
        buffer.flip();
        List<StoredRecord> records = new ArrayList<>(location.records());
        long now = System.nanoTime();
        while (buffer.hasRemaining()) {
            StoredRecord record = SegmentFormat.read(buffer, location.segment().version, now);
            if (record == null) {
                throw new IOException("spill segment " + location.segment().path + " has a corrupt record in bytes "
                        + location.offset() + ".." + (location.offset() + location.length()));
            }
            records.add(record);
        }
        return records;
    }

    /** {@code delivered} records of {@code segment} are through; a segment with none left is deleted. */
    void delivered(Segment segment, int delivered) throws IOException {
        segment.undelivered -= delivered;
        if (segment.undelivered <= 0) {
            delete(segment);
        }
    }

    /** Makes what was written reach the disk and closes the segment being written. */
    void close() throws IOException {
        if (activeChannel != null) {
            activeChannel.force(false);
            activeChannel.close();
            activeChannel = null;
        }
    }

    /**
     * Starts a new segment. When its header cannot be written (the disk is full) the file is deleted again and
     * nothing changes: the next roll tries a fresh number, so a file that could not even be deleted is never in
     * the way.
     */
    private void roll() throws IOException {
        close();
        active = null;
        long number = nextNumber++;
        Path path = dir.resolve(PREFIX + String.format("%012d", number) + SUFFIX);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.wrap(SegmentFormat.header(SegmentFormat.CURRENT));
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
        } catch (IOException e) {
            channel.close();
            try {
                Files.deleteIfExists(path);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        activeChannel = channel;
        active = new Segment(path, number, SegmentFormat.CURRENT, SegmentFormat.HEADER_BYTES);
        segments.put(number, active);
        totalBytes += SegmentFormat.HEADER_BYTES;
    }

    /** Cuts off what a failed append wrote in part, so the next append and a restart find the segment whole. */
    private void cutBack(long offset, IOException cause) {
        try {
            activeChannel.truncate(offset);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private void delete(Segment segment) throws IOException {
        if (segment == active) {
            if (activeChannel != null) {
                activeChannel.close();
                activeChannel = null;
            }
            active = null;
        }
        segments.remove(segment.number);
        totalBytes -= segment.bytes;
        Files.deleteIfExists(segment.path);
    }

}

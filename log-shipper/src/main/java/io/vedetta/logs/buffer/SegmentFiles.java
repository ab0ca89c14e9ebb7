package io.vedetta.logs.buffer;

import io.vedetta.logs.record.RoutingKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spill segments of the buffer: append-only files {@code segment-<n>.vbuf} in one directory, each a
 * header followed by frames {@code [payload length][CRC32C of payload][id length][id][routing length][routing][json]}. A segment is
 * deleted once every record in it is delivered; what a crash left behind is found again at start, and a
 * frame whose length or checksum does not hold (a write cut short) ends the readable part of its segment.
 *
 * <p>Not thread-safe: the {@link SpillingSink} calls it under its lock, except {@link #read}, which only
 * reads bytes already written.
 */
final class SegmentFiles {

    static final int FRAME_OVERHEAD = 4 + 4 + 2 + 2;
    private static final byte[] HEADER = "VBUFSEG1".getBytes(StandardCharsets.US_ASCII);
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".vbuf";
    private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);

    /** A run of frames in one segment, read back as one batch. */
    record Location(Segment segment, long offset, int length, int records) {
    }

    /** One segment file and how many of its records still wait for delivery. */
    static final class Segment {
        final Path path;
        final long number;
        long bytes;
        int undelivered;

        Segment(Path path, long number, long bytes) {
            this.path = path;
            this.number = number;
            this.bytes = bytes;
        }
    }

    private final Path dir;
    private final long segmentBytes;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Segment active;
    private FileChannel activeChannel;
    private long totalBytes;

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
            Segment segment = new Segment(file.getValue(), file.getKey(), Files.size(file.getValue()));
            segments.put(segment.number, segment);
            totalBytes += segment.bytes;
            scan(segment, runRecords, runs, corrupt);
            if (segment.undelivered == 0) {
                delete(segment);
            }
        }
        return runs;
    }

    private void scan(Segment segment, int runRecords, List<Location> runs, IntConsumer corrupt) throws IOException {
        byte[] content = Files.readAllBytes(segment.path);
        if (content.length < HEADER.length || !Arrays.equals(content, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            LOG.error("spill segment {} has no valid header; its {} bytes are skipped", segment.path, content.length);
            corrupt.accept(1);
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(content);
        buffer.position(HEADER.length);
        long runStart = buffer.position();
        int runCount = 0;
        while (buffer.hasRemaining()) {
            int frameStart = buffer.position();
            if (decode(buffer) == null) {
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
        long bytes = active == null || active.bytes >= segmentBytes ? HEADER.length : 0;
        for (StoredRecord record : records) {
            bytes += frameBytes(record);
        }
        return bytes;
    }

    /**
     * Writes {@code records} as one run at the end of the active segment (a new one when it is full); with
     * {@code sync}, the run is on the device when this returns.
     */
    Location append(List<StoredRecord> records, boolean sync) throws IOException {
        if (active == null || active.bytes >= segmentBytes) {
            roll();
        }
        int length = 0;
        for (StoredRecord record : records) {
            length += frameBytes(record);
        }
        ByteBuffer frames = ByteBuffer.allocate(length);
        CRC32C crc = new CRC32C();
        for (StoredRecord record : records) {
            byte[] id = record.id().getBytes(StandardCharsets.UTF_8);
            byte[] routing = record.routing().encode().getBytes(StandardCharsets.UTF_8);
            int payload = 2 + id.length + 2 + routing.length + record.json().length;
            ByteBuffer head = ByteBuffer.allocate(4 + id.length + routing.length)
                    .putShort((short) id.length).put(id).putShort((short) routing.length).put(routing);
            crc.reset();
            crc.update(head.array());
            crc.update(record.json());
            frames.putInt(payload).putInt((int) crc.getValue()).put(head.array()).put(record.json());
        }
        frames.flip();
        long offset = active.bytes;
        while (frames.hasRemaining()) {
            activeChannel.write(frames, offset + frames.position());
        }
        if (sync) {
            activeChannel.force(false);
        }
        active.bytes += length;
        active.undelivered += records.size();
        totalBytes += length;
        return new Location(active, offset, length, records.size());
    }

    /** The records of a run, checked again against their checksums. */
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
        while (buffer.hasRemaining()) {
            StoredRecord record = decode(buffer);
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

    private void roll() throws IOException {
        close();
        long number = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        Path path = dir.resolve(PREFIX + String.format("%012d", number) + SUFFIX);
        activeChannel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        activeChannel.write(ByteBuffer.wrap(HEADER), 0);
        active = new Segment(path, number, HEADER.length);
        segments.put(number, active);
        totalBytes += HEADER.length;
    }

    private void delete(Segment segment) throws IOException {
        if (segment == active) {
            activeChannel.close();
            activeChannel = null;
            active = null;
        }
        segments.remove(segment.number);
        totalBytes -= segment.bytes;
        Files.deleteIfExists(segment.path);
    }

    private static int frameBytes(StoredRecord record) {
        return FRAME_OVERHEAD + record.id().getBytes(StandardCharsets.UTF_8).length
                + record.routing().encode().getBytes(StandardCharsets.UTF_8).length + record.json().length;
    }

    /** The next frame, or null (position unchanged) when it is cut short or fails its checksum. */
    private static StoredRecord decode(ByteBuffer buffer) {
        int start = buffer.position();
        if (buffer.remaining() < 8) {
            return null;
        }
        int payload = buffer.getInt();
        int expected = buffer.getInt();
        if (payload < 4 || payload > buffer.remaining()) {
            buffer.position(start);
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), buffer.arrayOffset() + buffer.position(), payload);
        int idLength = Short.toUnsignedInt(buffer.getShort());
        if ((int) crc.getValue() != expected || idLength > payload - 4) {
            buffer.position(start);
            return null;
        }
        byte[] id = new byte[idLength];
        buffer.get(id);
        int routingLength = Short.toUnsignedInt(buffer.getShort());
        if (routingLength > payload - 4 - idLength) {
            buffer.position(start);
            return null;
        }
        byte[] routing = new byte[routingLength];
        buffer.get(routing);
        byte[] json = new byte[payload - 4 - idLength - routingLength];
        buffer.get(json);
        return new StoredRecord(new String(id, StandardCharsets.UTF_8),
                RoutingKey.decode(new String(routing, StandardCharsets.UTF_8)), json, System.nanoTime());
    }
}

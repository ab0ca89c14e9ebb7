package io.vedetta.agent.remotewrite;

import io.airlift.compress.snappy.SnappyCompressor;
import io.vedetta.agent.protobuf.ProtoReader;
import io.vedetta.agent.protobuf.ProtoWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log every sample passes through on its way to the remote_write endpoints; the design is in the
 * package documentation. Appends come from many scrape loops; each endpoint reads it with its own {@link WalReader}
 * and says through its {@link Cursor} how far it has sent, which is how far the log may be deleted.
 */
public final class Wal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Wal.class);

    static final String SERIES_FILE = "series";
    static final String SEGMENTS_DIR = "segments";
    static final byte SAMPLES = 1;
    static final byte SAMPLES_SNAPPY = 2;
    /** Payloads at least this long are stored compressed when that makes them smaller. */
    private static final int COMPRESS_FROM_BYTES = 512;
    /** Bytes kept free before a record's samples for its header, written once the samples are counted. */
    private static final int HEADER_ROOM = 16;

    /** An endpoint's place in the log, asked when segments are deleted. */
    public interface Cursor {
        /** Every sample before this has been sent (or needs no sending): older segments may go. */
        WalPosition acknowledged();

        /** Samples before this have been read into memory; later ones are lost when their segment is dropped. */
        WalPosition read();

        /** {@code samples} this endpoint had not read were dropped with a segment, for {@code reason}. */
        void lost(long samples, String reason);
    }

    /** A segment file; the last one is the one appended to. */
    static final class Segment {
        final int number;
        final Path path;
        /** Bytes of whole records: readers read no further. */
        volatile long committed;
        /** No more appends: a reader at its end moves to the next. */
        volatile boolean closed;
        /** Dropped for the size or age limit while unread: readers skip the rest. */
        volatile boolean dropped;
        /** Samples in it, -1 when not known (a segment from before a restart, until counted). */
        long samples;
        volatile long lastAppendMillis;
        final long createdMillis;

        Segment(int number, Path path, long committed, long samples, long lastAppendMillis) {
            this.number = number;
            this.path = path;
            this.committed = committed;
            this.samples = samples;
            this.lastAppendMillis = lastAppendMillis;
            this.createdMillis = lastAppendMillis;
        }
    }

    /** A label set as a hash key. */
    private record Key(byte[] labels, int hash) {
        Key(byte[] labels) {
            this(labels, Arrays.hashCode(labels));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.labels, labels);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Path dir;
    private final Path segmentsDir;
    private final long maxBytes;
    private final Duration maxAge;
    private final long segmentBytes;
    private final Clock clock;
    private final WalMetrics metrics;

    private final Object lock = new Object();
    private final Map<Key, Series> byLabels = new HashMap<>();
    private final Map<Integer, Series> byRef = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Integer, Segment> segments = new ConcurrentSkipListMap<>();
    private final List<Cursor> cursors = new CopyOnWriteArrayList<>();
    private final ProtoWriter pendingSeries = new ProtoWriter(1 << 12);
    private final ProtoWriter payload = new ProtoWriter(1 << 16);
    private final ProtoWriter framed = new ProtoWriter(1 << 16);
    private final SnappyCompressor snappy = new SnappyCompressor();
    private byte[] compressed = new byte[1 << 16];
    private RecordFile seriesFile;
    private long liveSeriesBytes;
    /** The oldest segment when series were last forgotten. */
    private int forgottenBefore = -1;
    private RecordFile active;
    private Segment activeSegment;
    private int nextRef = 1;
    private long highestTimestamp;
    private boolean writeFailing;
    private final Object newData = new Object();

    private Wal(Path dir, long maxBytes, Duration maxAge, Clock clock, WalMetrics metrics) {
        this.dir = dir;
        this.segmentsDir = dir.resolve(SEGMENTS_DIR);
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.segmentBytes = Math.max(1L << 20, Math.min(32L << 20, maxBytes / 16));
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Opens the log in {@code dir}, creating it, and recovers what a previous run left: the series, and the
     * segments with their torn tail cut off. Appends go to a new segment.
     */
    public static Wal open(Path dir, long maxBytes, Duration maxAge, Clock clock, WalMetrics metrics)
            throws IOException {
        Wal wal = new Wal(dir, maxBytes, maxAge, clock, metrics);
        wal.recover();
        return wal;
    }

    private void recover() throws IOException {
        Files.createDirectories(segmentsDir);
        Files.deleteIfExists(dir.resolve(SERIES_FILE + ".tmp"));
        seriesFile = RecordFile.open(dir.resolve(SERIES_FILE), (bytes, from, length) -> {
            ProtoReader r = new ProtoReader(bytes, from, from + length);
            int ref = (int) r.varint();
            byte[] labels = Arrays.copyOfRange(bytes, r.position(), from + length);
            Series s = new Series(ref, labels);
            Series old = byLabels.put(new Key(labels), s);
            if (old != null) {
                byRef.remove(old.ref);
            }
            byRef.put(ref, s);
            nextRef = Math.max(nextRef, ref + 1);
            liveSeriesBytes += RecordFile.HEADER_BYTES + length;
        });
        if (seriesFile.tornBytes() > 0) {
            metrics.corrupt(seriesFile.tornBytes());
            LOG.warn("the series file {} ended in {} bytes that are not a whole record (a write cut by a crash);"
                    + " they were cut off", seriesFile.path(), seriesFile.tornBytes());
        }
        List<Integer> numbers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(segmentsDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.matches("\\d{8}")) {
                    numbers.add(Integer.parseInt(name));
                } else {
                    Files.deleteIfExists(f);
                }
            }
        }
        numbers.sort(null);
        for (int i = 0; i < numbers.size(); i++) {
            Path path = segmentPath(numbers.get(i));
            long length = Files.size(path);
            if (i == numbers.size() - 1) {
                try (RecordFile last = RecordFile.open(path, (bytes, from, len) -> { })) {
                    if (last.tornBytes() > 0) {
                        metrics.corrupt(last.tornBytes());
                        LOG.warn("segment {} ended in {} bytes that are not a whole record (a write cut by a crash);"
                                + " they were cut off", path, last.tornBytes());
                    }
                    length = last.size();
                }
            }
            Segment s = new Segment(numbers.get(i), path, length, -1, Files.getLastModifiedTime(path).toMillis());
            s.closed = true;
            segments.put(s.number, s);
        }
        int last = numbers.isEmpty() ? 0 : numbers.get(numbers.size() - 1);
        // Series read back are kept until every segment of the last run is gone, unless a scrape holds them again.
        byRef.values().forEach(s -> s.lastSegment = last);
        startSegment(last + 1);
        metrics.bind(this);
        LOG.info("write-ahead log {}: {} series, {} segments ({} bytes) recovered", dir, byRef.size(),
                numbers.size(), bytes());
    }

    private Path segmentPath(int number) {
        return segmentsDir.resolve(String.format("%08d", number));
    }

    private void startSegment(int number) throws IOException {
        Path path = segmentPath(number);
        active = RecordFile.open(path, (bytes, from, length) -> { });
        activeSegment = new Segment(number, path, 0, 0, clock.millis());
        segments.put(number, activeSegment);
        RecordFile.syncDirectory(segmentsDir);
    }

    /** Registers an endpoint's cursor; segments it still needs are kept (up to the size and age limits). */
    public void register(Cursor cursor) {
        cursors.add(cursor);
    }

    public void unregister(Cursor cursor) {
        cursors.remove(cursor);
    }

    /**
     * The series with these labels ({@link SeriesLabels}), created when new, held by the caller until it
     * {@link #release}s it: a held series is never forgotten.
     */
    public Series hold(byte[] labels) {
        synchronized (lock) {
            Key key = new Key(labels);
            Series s = byLabels.get(key);
            if (s == null) {
                s = new Series(nextRef++, labels);
                s.lastSegment = activeSegment.number;
                int start = pendingSeries.size();
                ProtoWriter record = new ProtoWriter(ProtoWriter.varintSize(s.ref) + labels.length);
                record.varint(s.ref);
                record.bytes(labels);
                RecordFile.frame(pendingSeries, record.array(), 0, record.size());
                liveSeriesBytes += pendingSeries.size() - start;
                byLabels.put(key, s);
                byRef.put(s.ref, s);
            }
            s.holders++;
            return s;
        }
    }

    public void release(Series s) {
        synchronized (lock) {
            s.holders--;
        }
    }

    /** The series a sample of the log refers to, or null if it was forgotten. */
    Series series(int ref) {
        return byRef.get(ref);
    }

    /**
     * Appends a scrape's samples as one record. A sample no newer than the last one of its series is left out and
     * counted ({@code out_of_order}): a receiver refuses it, and with it the whole request it travels in. Returns the
     * samples written; a failed write loses the batch, counted and logged once.
     */
    public int append(SampleBatch batch) {
        if (batch.size == 0) {
            return 0;
        }
        synchronized (lock) {
            payload.clear();
            payload.truncate(HEADER_ROOM);
            int kept = 0;
            long base = 0;
            long highest = highestTimestamp;
            int segment = activeSegment.number;
            for (int i = 0; i < batch.size; i++) {
                Series s = batch.series[i];
                long ts = batch.timestamps[i];
                if (ts <= s.lastTimestamp) {
                    continue;
                }
                if (kept++ == 0) {
                    base = ts;
                }
                s.lastTimestamp = ts;
                s.lastSegment = segment;
                payload.varint(s.ref);
                payload.zigzag(ts - base);
                payload.fixed64(Double.doubleToRawLongBits(batch.values[i]));
                if (ts > highest && !Double.isNaN(batch.values[i])) {
                    highest = ts;
                }
            }
            metrics.outOfOrder(batch.size - kept);
            if (kept == 0) {
                return 0;
            }
            if (!write(header(kept, base), kept)) {
                return 0;
            }
            highestTimestamp = highest;
            metrics.appended(kept, highest);
            return kept;
        }
    }

    /**
     * Writes the record's header (type, count, first timestamp) into the room left before the samples in
     * {@link #payload}, ending where they start; returns where the record starts.
     */
    private int header(int count, long base) {
        ProtoWriter h = new ProtoWriter(HEADER_ROOM);
        h.byteValue(SAMPLES);
        h.varint(count);
        h.zigzag(base);
        int start = HEADER_ROOM - h.size();
        System.arraycopy(h.array(), 0, payload.array(), start, h.size());
        return start;
    }

    /**
     * Writes the pending series and {@link #payload} from {@code from} as a record of the active segment; under the
     * lock.
     */
    private boolean write(int from, int samples) {
        try {
            if (pendingSeries.size() > 0) {
                seriesFile.appendFramed(pendingSeries.array(), pendingSeries.size());
                pendingSeries.clear();
            }
            framed.clear();
            int length = payload.size() - from;
            if (length >= COMPRESS_FROM_BYTES) {
                int max = snappy.maxCompressedLength(length - 1) + 1;
                if (compressed.length < max) {
                    compressed = new byte[Math.max(max, compressed.length * 2)];
                }
                compressed[0] = SAMPLES_SNAPPY;
                int compressedLength = 1 + snappy.compress(payload.array(), from + 1, length - 1, compressed, 1,
                        max - 1);
                if (compressedLength < length) {
                    RecordFile.frame(framed, compressed, 0, compressedLength);
                }
            }
            if (framed.size() == 0) {
                RecordFile.frame(framed, payload.array(), from, length);
            }
            active.appendFramed(framed.array(), framed.size());
            activeSegment.samples += samples;
            activeSegment.lastAppendMillis = clock.millis();
            activeSegment.committed = active.size();
            metrics.written(framed.size());
            if (writeFailing) {
                writeFailing = false;
                LOG.info("writing the write-ahead log {} works again", dir);
            }
            if (active.size() >= segmentBytes) {
                rotate();
            }
        } catch (IOException e) {
            metrics.writeFailed(samples);
            if (!writeFailing) {
                writeFailing = true;
                LOG.error("cannot write the write-ahead log {}: {}; the samples of this scrape are lost (counted in"
                        + " vedetta_wal_samples_dropped_total{{reason=\"write_failed\"}})", dir, e.getMessage());
            }
            return false;
        } finally {
            synchronized (newData) {
                newData.notifyAll();
            }
        }
        return true;
    }

    /** Closes the active segment (synced) and starts the next; under the lock. */
    private void rotate() throws IOException {
        active.force();
        seriesFile.force();
        active.close();
        activeSegment.closed = true;
        startSegment(activeSegment.number + 1);
    }

    /**
     * Deletes what no endpoint needs any more, then what the size and age limits do not allow (counting what
     * endpoints had not read), forgets the series no segment refers to and no scrape holds, and rewrites the series
     * file when mostly forgotten series fill it. Syncs the active segment. Called every few seconds.
     */
    public void maintain() {
        synchronized (lock) {
            try {
                flushAndSync();
                if (activeSegment.committed > 0 && clock.millis() - activeSegment.createdMillis > maxSegmentAge()) {
                    rotate();
                }
            } catch (IOException e) {
                LOG.warn("cannot sync the write-ahead log {}: {}", dir, e.getMessage());
            }
            WalPosition needed = null;
            for (Cursor c : cursors) {
                needed = needed == null ? c.acknowledged() : WalPosition.min(needed, c.acknowledged());
            }
            int keepFrom = needed == null ? activeSegment.number : needed.segment();
            for (Iterator<Segment> it = segments.values().iterator(); it.hasNext(); ) {
                Segment s = it.next();
                if (s == activeSegment) {
                    break;
                }
                String reason = null;
                if (s.number >= keepFrom) {
                    if (bytes() > maxBytes) {
                        reason = "size";
                    } else if (clock.millis() - s.lastAppendMillis > maxAge.toMillis()) {
                        reason = "age";
                    } else {
                        break;
                    }
                }
                if (reason != null) {
                    drop(s, reason);
                }
                it.remove();
                delete(s);
            }
            forgetSeries();
        }
    }

    /**
     * How long the active segment is appended to: a slow trickle of samples still lands in segments that can be
     * deleted once sent, or dropped once older than the age limit.
     */
    private long maxSegmentAge() {
        return Math.min(maxAge.toMillis() / 4, Duration.ofMinutes(15).toMillis());
    }

    /** Counts, per endpoint, the samples of {@code s} it had not read, and makes readers leave it. */
    private void drop(Segment s, String reason) {
        s.dropped = true;
        for (Cursor c : cursors) {
            WalPosition read = c.read();
            if (read.segment() > s.number) {
                continue;
            }
            long offset = read.segment() == s.number ? read.offset() : 0;
            c.lost(samplesFrom(s, offset, read.segment() == s.number ? read.index() : 0), reason);
        }
        LOG.warn("dropped segment {} of the write-ahead log {} ({} limit: remoteWrite.walMax{}); an endpoint"
                + " had not sent all of it", s.number, dir, reason, reason.equals("size") ? "Bytes" : "Age");
    }

    private long samplesFrom(Segment s, long offset, int index) {
        if (offset == 0 && index == 0 && s.samples >= 0) {
            return s.samples;
        }
        long[] count = {0};
        try (FileChannel channel = FileChannel.open(s.path, StandardOpenOption.READ)) {
            long[] at = {0};
            RecordFile.readAll(channel, (bytes, from, length) -> {
                if (at[0] >= offset) {
                    long n = WalRecords.sampleCount(bytes, from, length);
                    count[0] += at[0] == offset ? Math.max(0, n - index) : n;
                }
                at[0] += RecordFile.HEADER_BYTES + length;
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot count the samples of segment {}: {}", s.path, e.getMessage());
        }
        return count[0];
    }

    private void delete(Segment s) {
        try {
            Files.deleteIfExists(s.path);
        } catch (IOException e) {
            LOG.warn("cannot delete segment {}: {}", s.path, e.getMessage());
        }
    }

    /**
     * Forgets series in no remaining segment and held by no scrape; rewrites the series file when worth it. Only once
     * the oldest segment moved on: a walk over every series each maintenance cost the agent 8% of its CPU in
     * {@code scripts/bench remote-write}. A series a scrape lets go of between two such moves waits for the next.
     */
    private void forgetSeries() {
        int oldest = segments.firstKey();
        if (oldest == forgottenBefore) {
            return;
        }
        forgottenBefore = oldest;
        int before = byRef.size();
        for (Iterator<Series> it = byLabels.values().iterator(); it.hasNext(); ) {
            Series s = it.next();
            if (s.holders == 0 && s.lastSegment < oldest) {
                it.remove();
                byRef.remove(s.ref);
                liveSeriesBytes -= RecordFile.HEADER_BYTES + ProtoWriter.varintSize(s.ref) + s.labels.length;
            }
        }
        if (byRef.size() < before) {
            LOG.debug("forgot {} series no segment refers to", before - byRef.size());
        }
        if (seriesFile.size() > 2 * liveSeriesBytes && seriesFile.size() > (4L << 20)) {
            rewriteSeriesFile();
        }
    }

    private void rewriteSeriesFile() {
        ProtoWriter all = new ProtoWriter((int) Math.min(Integer.MAX_VALUE - 8, liveSeriesBytes + 1024));
        ProtoWriter record = new ProtoWriter(256);
        for (Series s : byRef.values()) {
            record.clear();
            record.varint(s.ref);
            record.bytes(s.labels);
            RecordFile.frame(all, record.array(), 0, record.size());
        }
        Path path = dir.resolve(SERIES_FILE);
        try {
            seriesFile.close();
            RecordFile.replace(path, all.array(), all.size());
            seriesFile = RecordFile.open(path, (bytes, from, length) -> { });
            liveSeriesBytes = seriesFile.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the series file " + path, e);
        }
    }

    /** Bytes of the segments on disk. */
    public long bytes() {
        long total = 0;
        for (Segment s : segments.values()) {
            total += s.committed;
        }
        return total;
    }

    int segmentCount() {
        return segments.size();
    }

    int seriesCount() {
        return byRef.size();
    }

    long highestTimestamp() {
        return highestTimestamp;
    }

    /** The position just after the last record written so far. */
    public WalPosition end() {
        Segment s = activeSegment;
        return new WalPosition(s.number, s.committed, 0);
    }

    /** Bytes from {@code position} to the end of the log: what an endpoint has yet to send. */
    long bytesAfter(WalPosition position) {
        long total = 0;
        for (Segment s : segments.tailMap(position.segment(), true).values()) {
            total += s.number == position.segment() ? Math.max(0, s.committed - position.offset()) : s.committed;
        }
        return total;
    }

    Segment segment(int number) {
        return segments.get(number);
    }

    /** The first segment numbered {@code number} or later, or null. */
    Segment segmentFrom(int number) {
        Map.Entry<Integer, Segment> e = segments.ceilingEntry(number);
        return e == null ? null : e.getValue();
    }

    /** Waits up to {@code millis} for a record to be appended. */
    void awaitData(long millis) throws InterruptedException {
        synchronized (newData) {
            newData.wait(Math.max(1, millis));
        }
    }

    /** Writes the series records still held in memory, then syncs them and the active segment. */
    private void flushAndSync() throws IOException {
        if (pendingSeries.size() > 0) {
            seriesFile.appendFramed(pendingSeries.array(), pendingSeries.size());
            pendingSeries.clear();
        }
        active.force();
        seriesFile.force();
    }

    public WalReader reader(WalPosition from) {
        return new WalReader(this, from, metrics);
    }

    @Override
    public void close() {
        synchronized (lock) {
            try {
                flushAndSync();
                active.close();
                seriesFile.close();
            } catch (IOException e) {
                LOG.warn("closing the write-ahead log {}: {}", dir, e.getMessage());
            }
        }
    }
}

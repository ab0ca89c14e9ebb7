package io.vedetta.agent.remotewrite;

import io.vedetta.agent.protobuf.ProtoWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A file of records, each framed as its length and CRC-32C (both 4 bytes, big-endian) before its payload: the
 * write-ahead log's segments, its series file and the endpoints' acknowledgement logs. Records are appended with
 * one write each, so a process killed at any moment leaves whole records and at most one torn record at the end;
 * {@link #open} keeps the whole records and cuts the torn tail off. What the kernel has taken survives a SIGKILL;
 * {@link #force} makes it survive a power loss too.
 */
final class RecordFile implements AutoCloseable {

    static final int HEADER_BYTES = 8;
    /** No record is this large; a longer length is a torn or foreign header. */
    static final int MAX_RECORD_BYTES = 256 << 20;

    /** Receives each whole record read back. */
    interface Replay {
        void record(byte[] bytes, int from, int length) throws IOException;
    }

    private final Path path;
    private final FileChannel channel;
    private long size;

    private RecordFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Opens {@code path} for appending (creating it), replaying its whole records first; returns it positioned after
     * the last whole record, the rest cut off. {@link #tornBytes} says how much was cut.
     */
    static RecordFile open(Path path, Replay replay) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long end = readAll(channel, replay);
            long length = channel.size();
            RecordFile file = new RecordFile(path, channel, end);
            file.torn = length - end;
            if (end < length) {
                channel.truncate(end);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private long torn;

    /** Bytes cut off the end when the file was opened: a record torn by a crash, or damage. */
    long tornBytes() {
        return torn;
    }

    /** Replays the whole records of {@code channel} from its start; returns where the whole records end. */
    static long readAll(FileChannel channel, Replay replay) throws IOException {
        long length = channel.size();
        long at = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        byte[] payload = new byte[4096];
        CRC32C crc = new CRC32C();
        while (at + HEADER_BYTES <= length) {
            header.clear();
            readFully(channel, header, at);
            int recordLength = header.getInt(0);
            int checksum = header.getInt(4);
            if (recordLength < 0 || recordLength > MAX_RECORD_BYTES || at + HEADER_BYTES + recordLength > length) {
                break;
            }
            if (payload.length < recordLength) {
                payload = new byte[Math.max(recordLength, payload.length * 2)];
            }
            readFully(channel, ByteBuffer.wrap(payload, 0, recordLength), at + HEADER_BYTES);
            crc.reset();
            crc.update(payload, 0, recordLength);
            if ((int) crc.getValue() != checksum) {
                break;
            }
            replay.record(payload, 0, recordLength);
            at += HEADER_BYTES + recordLength;
        }
        return at;
    }

    static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new java.io.EOFException("unexpected end of " + channel);
            }
            at += n;
        }
    }

    /** Frames {@code payload[from, from + length)} into {@code out}. */
    static void frame(ProtoWriter out, byte[] payload, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(payload, from, length);
        out.fixed32BigEndian(length);
        out.fixed32BigEndian((int) crc.getValue());
        out.bytes(payload, from, length);
    }

    /** Appends framed records ({@link #frame}) with one write. */
    void appendFramed(byte[] framed, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(framed, 0, length);
        long at = size;
        try {
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            // Leave no torn record for the next append to follow.
            channel.truncate(size);
            throw e;
        }
        size = at;
    }

    long size() {
        return size;
    }

    Path path() {
        return path;
    }

    void force() throws IOException {
        channel.force(false);
    }

    /**
     * Replaces the file at {@code path} by {@code framed}: written to a temporary file, synced, renamed over it, and
     * the directory synced, so a crash leaves either the old file or the new one.
     */
    static void replace(Path path, byte[] framed, int length) throws IOException {
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(framed, 0, length);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(path.getParent());
    }

    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is then as durable as they make it.
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

package io.vedetta.logs.tail;

import io.vedetta.bytes.Words;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * One file being tailed, known by its {@link FileKey} and the fingerprint of its first bytes, never by path.
 * It cuts the bytes into {@link RawLine}s, registers each with its {@link LinePositions} so the committed position
 * only moves past acknowledged lines, and notices truncation (the file got shorter than what was read, or its
 * first bytes changed). After a copytruncate it first drains the rotated copy, found next to the file by name
 * and content, from where reading stopped, so nothing written before the truncation is lost.
 *
 * <p>Used by the {@link Tailer}'s single reader thread only; acknowledgements arrive from other threads and
 * touch nothing but the {@link LinePositions} and the volatile committed position.
 */
final class TailedFile implements Closeable {

    static final int TAIL_BYTES = 64;
    private static final int INITIAL_BUFFER = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(TailedFile.class);

    private final FileKey key;
    private final Path realPath;
    private final FileChannel main;
    private final Fingerprint fingerprint;
    private final int maxLineBytes;
    private final int maxBuffer;
    private final TailMetrics metrics;
    private final Runnable onPositionChange;

    private Path path;
    private FileChannel copy;
    private Path copyPath;
    private boolean finalMain;
    private long goneSinceMillis = -1;
    private TailedFile predecessor;
    private boolean atEnd;
    private boolean closed;
    private boolean longLineLogged;
    private boolean discarding;

    private byte[] buf;
    private long bufBase;
    private int lineStart;
    private int scanPos;
    private int bufEnd;
    private RawLine pending;
    /** Positions of the current version of the file's content; a truncation starts anew and orphans these. */
    private volatile LinePositions positions;
    /** The ids' shared part once the fingerprint is complete; null until then and after a truncation. */
    private String fullIdPrefix;

    private TailedFile(FileKey key, Path path, Path realPath, FileChannel main, Fingerprint fingerprint,
                       TailConfig config, TailMetrics metrics, Runnable onPositionChange) {
        this.key = key;
        this.path = path;
        this.realPath = realPath;
        this.main = main;
        this.fingerprint = fingerprint;
        this.maxLineBytes = config.maxLineBytes();
        this.maxBuffer = maxLineBytes + TAIL_BYTES + 1;
        this.metrics = metrics;
        this.onPositionChange = onPositionChange;
        this.buf = new byte[Math.min(INITIAL_BUFFER, maxBuffer)];
    }

    /**
     * Opens {@code real}, the file behind {@code path} (the name the globs matched, which lines carry); empty if
     * it was replaced between the scan and the open.
     */
    static Optional<TailedFile> open(FileKey key, Path path, Path real, TailConfig config, TailMetrics metrics,
                                     Runnable onPositionChange) throws IOException {
        FileChannel ch = FileChannel.open(real, StandardOpenOption.READ);
        try {
            if (!FileKey.of(real).equals(key)) {
                ch.close();
                return Optional.empty();
            }
            return Optional.of(new TailedFile(key, path, real, ch, Fingerprint.of(ch), config, metrics,
                    onPositionChange));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    FileKey key() {
        return key;
    }

    Path path() {
        return path;
    }

    void seenAt(Path current) {
        path = current;
        goneSinceMillis = -1;
    }

    long goneSinceMillis() {
        return goneSinceMillis;
    }

    void goneAt(long nowMillis) {
        if (goneSinceMillis < 0) {
            goneSinceMillis = nowMillis;
        }
    }

    /**
     * The file that had this one's path before a rotation: this one is read only once that one has been read
     * to its current end, so the lines of one path come out in the order they were written.
     */
    void follow(TailedFile previous) {
        predecessor = previous;
        // Its end must be seen again: it may have received lines since it was last read.
        previous.atEnd = false;
    }

    boolean waitsForPredecessor() {
        if (predecessor != null && (predecessor.closed || predecessor.atEnd)) {
            predecessor = null;
        }
        return predecessor != null;
    }

    /** The file will not grow any more: a last unterminated line is handed on once the end is reached. */
    void markFinal() {
        finalMain = true;
    }

    boolean isFinal() {
        return finalMain;
    }

    /** True if the saved state describes this file's content: same first bytes, same bytes before the offset. */
    boolean contentMatches(FileState state) throws IOException {
        if (!fingerprint.startsWith(state.fingerprintLength(), state.fingerprintHash())
                || state.tailLength() != (int) Math.min(TAIL_BYTES, state.offset())
                || main.size() < state.offset()) {
            return false;
        }
        byte[] before = new byte[state.tailLength()];
        int n = FileReads.readFully(main, before, 0, before.length, state.offset() - before.length);
        return n == before.length && ContentHash.of(before, 0, n) == state.tailHash();
    }

    /** Where the last complete line ends, so reading "from the tail" never starts in the middle of a line. */
    long endOfLastLine() throws IOException {
        long size = main.size();
        int window = (int) Math.min(size, maxLineBytes);
        byte[] end = new byte[window];
        int n = FileReads.readFully(main, end, 0, window, size - window);
        for (int i = n - 1; i >= 0; i--) {
            if (end[i] == '\n') {
                return size - window + i + 1;
            }
        }
        return size <= maxLineBytes ? 0 : size;
    }

    /** Starts (or restarts) reading at {@code offset}, which becomes the committed position. */
    void startAt(long offset) throws IOException {
        bufBase = Math.max(0, offset - TAIL_BYTES);
        int context = (int) (offset - bufBase);
        int n = FileReads.readFully(main, buf, 0, context, bufBase);
        if (n < context) {
            throw new IOException(realPath + " is shorter than the start offset " + offset);
        }
        lineStart = context;
        scanPos = context;
        bufEnd = context;
        pending = null;
        discarding = false;
        positions = new LinePositions(new Position(offset, context, ContentHash.of(buf, 0, context)), this::committed);
    }

    /** The next complete line, or null when there is none yet. */
    RawLine nextLine() throws IOException {
        RawLine line = pending != null ? pending : readLine();
        pending = null;
        atEnd = line == null;
        return line;
    }

    private RawLine readLine() throws IOException {
        while (true) {
            int newline = indexOfNewline();
            if (discarding) {
                // The rest of a truncated line: skipped up to its newline, keeping the bytes the hash needs.
                lineStart = newline >= 0 ? newline + 1 : bufEnd;
                scanPos = lineStart;
                discarding = newline < 0;
                if (newline >= 0) {
                    continue;
                }
            } else if (newline >= 0) {
                return emit(newline, newline + 1);
            } else if (bufEnd - lineStart > maxLineBytes) {
                // Strictly longer: a line of exactly the limit may still get its newline.
                return longLine();
            }
            if (readMore()) {
                continue;
            }
            if ((copy != null || finalMain) && bufEnd > lineStart) {
                return emit(bufEnd, bufEnd);
            }
            if (copy != null) {
                finishCopy();
                continue;
            }
            return null;
        }
    }

    private RawLine longLine() {
        if (!longLineLogged) {
            longLineLogged = true;
            LOG.warn("{} ({}) has a line longer than the read limit of {} bytes; truncating it", path, key,
                    maxLineBytes);
        }
        int cut = lineStart + maxLineBytes;
        metrics.linesTruncated.increment();
        discarding = true;
        return emit(cut, cut);
    }

    /** Gives back a line the consumer did not take; it is returned again by the next {@link #nextLine()}. */
    void unread(RawLine line) {
        pending = line;
    }

    FileState snapshot(long lastSeenMillis) {
        Position p = positions.committed();
        return new FileState(key.dev(), key.ino(), fingerprint.length(), fingerprint.hash(), p.offset(), p.tailLength(), p.tailHash(),
                path.toString(), lastSeenMillis);
    }

    /** Bytes in the file beyond its acknowledged position: what is still to be read or delivered. */
    long lagBytes() {
        try {
            return Math.max(0, main.size() - positions.committed().offset());
        } catch (IOException e) {
            return 0;
        }
    }

    /** Acknowledgements still awaited for lines of the current content that were handed on. */
    int pendingAcknowledgements() {
        return positions.pending() - (pending != null ? 1 : 0);
    }

    /** Closes the file and lets go of its buffer; the committed position stays readable for the state file. */
    @Override
    public void close() throws IOException {
        closed = true;
        buf = new byte[0];
        try {
            if (copy != null) {
                copy.close();
            }
        } finally {
            main.close();
        }
    }

    /**
     * Eight bytes at a time while eight remain (a byte at a time was a third of the tailer's time): the lowest byte
     * of {@code x = word ^ '\n'}-repeated that is zero is the first newline, found by the borrow trick.
     */
    private int indexOfNewline() {
        int i = Words.indexOf(buf, scanPos, bufEnd, '\n');
        if (i < 0) {
            scanPos = bufEnd;
        }
        return i;
    }

    private RawLine emit(int lineEnd, int nextStart) {
        long start = bufBase + lineStart;
        long end = bufBase + nextStart;
        byte[] bytes = Arrays.copyOfRange(buf, lineStart, lineEnd);
        int tailLength = (int) Math.min(TAIL_BYTES, end);
        long tailHash = ContentHash.of(buf, nextStart - tailLength, tailLength);
        lineStart = nextStart;
        scanPos = nextStart;
        metrics.linesRead.increment();
        return new RawLine(key, path, start, end, bytes, idPrefix(end),
                positions.register(end, tailHash));
    }

    /**
     * What the ids of lines ending at {@code end} start with (see {@link RawLine#id()}): device, inode and the
     * hash of the first bytes up to the line's end, at most the whole fingerprint. Every line past the
     * fingerprint shares one prefix, made once.
     */
    private String idPrefix(long end) {
        if (end < Fingerprint.MAX_BYTES || fingerprint.length() < Fingerprint.MAX_BYTES) {
            return idPrefixFor(fingerprint.hashOfFirst((int) Math.min(Fingerprint.MAX_BYTES, end)));
        }
        if (fullIdPrefix == null) {
            fullIdPrefix = idPrefixFor(fingerprint.hashOfFirst(Fingerprint.MAX_BYTES));
        }
        return fullIdPrefix;
    }

    private String idPrefixFor(long fingerprintHash) {
        return Long.toHexString(key.dev()) + '-' + Long.toHexString(key.ino()) + '-'
                + Long.toHexString(fingerprintHash) + '-';
    }

    /** Reads more bytes into the buffer; false at the end of the data for now. */
    private boolean readMore() throws IOException {
        long readOffset = bufBase + bufEnd;
        if (copy == null) {
            long size = main.size();
            if (size < readOffset) {
                truncated();
                return true;
            }
            if (size == readOffset) {
                return false;
            }
        }
        makeRoom();
        int n = (copy != null ? copy : main).read(ByteBuffer.wrap(buf, bufEnd, buf.length - bufEnd), readOffset);
        if (n <= 0) {
            return false;
        }
        // Checked after the read: a file truncated and rewritten past our offset in the meantime would
        // otherwise hand us bytes of the new content as the continuation of the old.
        if (copy == null && !fingerprint.isHeadOf(main)) {
            truncated();
            return true;
        }
        fingerprint.extend(readOffset, buf, bufEnd, n);
        bufEnd += n;
        metrics.bytesRead.increment(n);
        return true;
    }

    private void makeRoom() {
        if (bufEnd < buf.length) {
            return;
        }
        // Keep the bytes just before the current line: they feed the hash stored with the next position.
        int keep = Math.max(0, lineStart - TAIL_BYTES);
        if (keep > 0) {
            System.arraycopy(buf, keep, buf, 0, bufEnd - keep);
            bufBase += keep;
            lineStart -= keep;
            scanPos -= keep;
            bufEnd -= keep;
        }
        if (bufEnd == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, maxBuffer));
        }
    }

    private void truncated() throws IOException {
        metrics.truncated.increment();
        long resumeAt = bufBase + lineStart;
        int context = Math.min(TAIL_BYTES, lineStart);
        Optional<Path> rotatedCopy = RotatedFiles.findCopy(realPath, fingerprint,
                Arrays.copyOfRange(buf, lineStart - context, lineStart), resumeAt);
        if (rotatedCopy.isPresent()) {
            copyPath = rotatedCopy.get();
            copy = FileChannel.open(copyPath, StandardOpenOption.READ);
            metrics.rotated.increment();
            LOG.info("{} ({}) was truncated after offset {}; reading the rest from its copy {}",
                    path, key, resumeAt, copyPath);
            bufEnd = lineStart;
            scanPos = lineStart;
        } else {
            LOG.info("{} ({}) was truncated or replaced after offset {}; reading it again from the start",
                    path, key, resumeAt);
            newGeneration();
        }
    }

    private void finishCopy() throws IOException {
        LOG.info("finished the rotated copy {} of {}; continuing with {} from the start", copyPath, key, path);
        copy.close();
        copy = null;
        copyPath = null;
        newGeneration();
    }

    private void newGeneration() {
        fingerprint.reset();
        fullIdPrefix = null;
        discarding = false;
        bufBase = 0;
        lineStart = 0;
        scanPos = 0;
        bufEnd = 0;
        positions = new LinePositions(Position.START, this::committed);
        onPositionChange.run();
    }

    private void committed() {
        metrics.positionsCommitted.increment();
        onPositionChange.run();
    }
}

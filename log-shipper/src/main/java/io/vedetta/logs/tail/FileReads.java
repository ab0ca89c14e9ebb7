package io.vedetta.logs.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads that do not move a channel's own position, so one channel serves every reader. */
final class FileReads {

    private FileReads() {
    }

    /** Reads up to {@code length} bytes at {@code position}; fewer only at the end of the file. */
    static int readFully(FileChannel ch, byte[] dst, int offset, int length, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(dst, offset, length);
        long pos = position;
        while (bb.hasRemaining()) {
            int n = ch.read(bb, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        return bb.position() - offset;
    }
}

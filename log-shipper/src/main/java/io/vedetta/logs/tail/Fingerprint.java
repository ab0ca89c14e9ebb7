package io.vedetta.logs.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The first bytes of a file, up to 1 KiB, growing with the file while it is shorter: with the device and inode
 * it is the file's identity. Saved as length and hash; a saved fingerprint matches a file whose first bytes
 * start with it (a prefix), since the file may have grown since. A file closed while it waits for its turn
 * ({@code logs.maxOpenFiles}) keeps only the length and hash ({@link #compact}), and gets its bytes back from the file
 * when it is opened again ({@link #restore}).
 */
final class Fingerprint {

    static final int MAX_BYTES = 1024;

    /** Null while compacted. */
    private byte[] bytes = new byte[MAX_BYTES];
    private int length;
    private long fullHash;
    /** Hash of the first {@code length} bytes while compacted. */
    private long compactHash;

    /** Reads the fingerprint of the file behind {@code ch} as it is now. */
    static Fingerprint of(FileChannel ch) throws IOException {
        Fingerprint fp = new Fingerprint();
        fp.setLength(FileReads.readFully(ch, fp.bytes, 0, MAX_BYTES, 0));
        return fp;
    }

    int length() {
        return length;
    }

    long hash() {
        return bytes == null ? compactHash : hashOfFirst(length);
    }

    /** Hash of the first {@code n} bytes ({@code n <= length()}): part of the ids of the lines within them. */
    long hashOfFirst(int n) {
        return n == MAX_BYTES ? fullHash : ContentHash.of(bytes, 0, n);
    }

    /** True if a fingerprint saved as (length, hash) is a prefix of this one. */
    boolean startsWith(int savedLength, long savedHash) {
        return savedLength <= length && ContentHash.of(bytes, 0, savedLength) == savedHash;
    }

    /** True if the file behind {@code ch} still begins with these bytes (compared by hash while compacted). */
    boolean isHeadOf(FileChannel ch) throws IOException {
        if (length == 0) {
            return true;
        }
        byte[] head = new byte[length];
        int n = FileReads.readFully(ch, head, 0, length, 0);
        if (n != length) {
            return false;
        }
        return bytes == null ? ContentHash.of(head, 0, n) == compactHash : Arrays.equals(head, 0, n, bytes, 0, n);
    }

    /** Lets go of the bytes, keeping their length and hash: for a file closed until its next turn. */
    void compact() {
        if (bytes != null) {
            compactHash = hashOfFirst(length);
            bytes = null;
        }
    }

    /** Reads the bytes back from {@code ch}; false, still compacted, if the file no longer begins with them. */
    boolean restore(FileChannel ch) throws IOException {
        if (bytes != null) {
            return isHeadOf(ch);
        }
        byte[] head = new byte[MAX_BYTES];
        int n = FileReads.readFully(ch, head, 0, length, 0);
        if (n != length || ContentHash.of(head, 0, n) != compactHash) {
            return false;
        }
        bytes = head;
        return true;
    }

    /** Takes in bytes read at {@code fileOffset}, as far as they continue the fingerprint. */
    void extend(long fileOffset, byte[] src, int srcIndex, int n) {
        int to = (int) Math.min(MAX_BYTES, fileOffset + n);
        if (to <= length || fileOffset > length) {
            return;
        }
        System.arraycopy(src, srcIndex + (int) (length - fileOffset), bytes, length, to - length);
        setLength(to);
    }

    void reset() {
        if (bytes == null) {
            bytes = new byte[MAX_BYTES];
        }
        setLength(0);
    }

    private void setLength(int newLength) {
        length = newLength;
        fullHash = newLength == MAX_BYTES ? ContentHash.of(bytes, 0, newLength) : 0;
    }
}

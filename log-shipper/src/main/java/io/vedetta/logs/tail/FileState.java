package io.vedetta.logs.tail;

/**
 * What the positions file remembers of one file: its identity (device, inode, and the length and hash of
 * its first bytes), the acknowledged offset with a hash of the bytes before it, the path it was last seen
 * under (for people reading the file; never used to identify it) and when it was last seen.
 */
record FileState(
        long dev,
        long ino,
        int fingerprintLength,
        long fingerprintHash,
        long offset,
        int tailLength,
        long tailHash,
        String path,
        long lastSeenEpochMillis) {

    FileKey key() {
        return new FileKey(dev, ino);
    }

    Position position() {
        return new Position(offset, tailLength, tailHash);
    }
}

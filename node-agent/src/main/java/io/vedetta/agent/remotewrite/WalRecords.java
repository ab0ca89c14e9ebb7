package io.vedetta.agent.remotewrite;

import io.airlift.compress.snappy.SnappyDecompressor;
import io.vedetta.agent.protobuf.ProtoReader;

/**
 * Decodes the payload of a segment record: a type byte ({@link Wal#SAMPLES}, or {@link Wal#SAMPLES_SNAPPY} with the
 * rest snappy-compressed), the number of samples, the first sample's timestamp, then per sample its series'
 * reference, its timestamp's difference from the first (zig-zag varints) and its value (8 bytes). One decoder per
 * reader: the arrays are reused from record to record.
 */
final class WalRecords {

    int count;
    int[] refs = new int[256];
    long[] timestamps = new long[256];
    double[] values = new double[256];
    private byte[] uncompressed = new byte[1 << 16];
    private final SnappyDecompressor snappy = new SnappyDecompressor();

    /** Decodes one payload; an unreadable one is an {@link IllegalArgumentException}. */
    void decode(byte[] bytes, int from, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("an empty record");
        }
        byte type = bytes[from];
        ProtoReader r;
        if (type == Wal.SAMPLES) {
            r = new ProtoReader(bytes, from + 1, from + length);
        } else if (type == Wal.SAMPLES_SNAPPY) {
            int size = SnappyDecompressor.getUncompressedLength(bytes, from + 1);
            if (size < 0 || size > RecordFile.MAX_RECORD_BYTES) {
                throw new IllegalArgumentException("a compressed record of " + size + " bytes");
            }
            if (uncompressed.length < size) {
                uncompressed = new byte[Math.max(size, uncompressed.length * 2)];
            }
            int n = snappy.decompress(bytes, from + 1, length - 1, uncompressed, 0, uncompressed.length);
            r = new ProtoReader(uncompressed, 0, n);
        } else {
            throw new IllegalArgumentException("unknown record type " + type);
        }
        long n = r.varint();
        if (n < 0 || n > RecordFile.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a record of " + n + " samples");
        }
        count = (int) n;
        if (refs.length < count) {
            int capacity = Math.max(count, refs.length * 2);
            refs = new int[capacity];
            timestamps = new long[capacity];
            values = new double[capacity];
        }
        long base = r.zigzag();
        for (int i = 0; i < count; i++) {
            refs[i] = (int) r.varint();
            timestamps[i] = base + r.zigzag();
            values[i] = Double.longBitsToDouble(r.fixed64());
        }
    }

    /** The number of samples of a payload, read without decoding them. */
    static long sampleCount(byte[] bytes, int from, int length) {
        WalRecords records = new WalRecords();
        records.decode(bytes, from, length);
        return records.count;
    }
}

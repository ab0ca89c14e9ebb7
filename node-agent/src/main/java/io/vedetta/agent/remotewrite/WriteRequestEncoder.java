package io.vedetta.agent.remotewrite;

import io.airlift.compress.snappy.SnappyCompressor;
import io.vedetta.agent.protobuf.ProtoWriter;

/**
 * Encodes a batch as remote-write 1.0's {@code WriteRequest}, one {@code TimeSeries} per sample as Prometheus 2.42
 * sends them (its labels, already encoded and sorted, with the endpoint's external labels merged in, and one {@code
 * Sample}), then compresses it in snappy's block format. The buffers are kept from one request to the next.
 */
final class WriteRequestEncoder {

    private final ExternalLabels external;
    private final ProtoWriter request = new ProtoWriter(1 << 16);
    private final SnappyCompressor snappy = new SnappyCompressor();
    private byte[] compressed = new byte[1 << 16];
    private int compressedLength;

    WriteRequestEncoder(ExternalLabels external) {
        this.external = external;
    }

    /**
     * Encodes {@code count} samples, each with its labels' plan for the external labels ({@link
     * ExternalLabels#plan}), and compresses them; {@link #body} and {@link #length} are the result.
     */
    void encode(byte[][] labels, int[] plans, long[] timestamps, double[] values, int count) {
        request.clear();
        for (int i = 0; i < count; i++) {
            byte[] l = labels[i];
            long ts = timestamps[i];
            int sampleBytes = 1 + 8 + 1 + ProtoWriter.varintSize(ts);
            int labelBytes = external.mergedLength(l, plans[i]);
            request.tag(1, ProtoWriter.LENGTH_DELIMITED);
            request.varint(labelBytes + 1 + ProtoWriter.varintSize(sampleBytes) + sampleBytes);
            external.write(request, l);
            request.tag(2, ProtoWriter.LENGTH_DELIMITED);
            request.varint(sampleBytes);
            request.tag(1, ProtoWriter.FIXED64);
            request.fixed64(Double.doubleToRawLongBits(values[i]));
            request.tag(2, ProtoWriter.VARINT);
            request.varint(ts);
        }
        int max = snappy.maxCompressedLength(request.size());
        if (compressed.length < max) {
            compressed = new byte[Math.max(max, compressed.length * 2)];
        }
        compressedLength = snappy.compress(request.array(), 0, request.size(), compressed, 0, compressed.length);
    }

    byte[] body() {
        return compressed;
    }

    int length() {
        return compressedLength;
    }

    /** The uncompressed request, for tests. */
    byte[] uncompressed() {
        return request.toByteArray();
    }
}

package io.vedetta.agent.remotewrite;

/** Reads a log's samples from its start, for tests of what is written into it. */
public final class WalTestAccess {

    /** Receives one sample. */
    public interface Sample {
        void accept(byte[] labels, long timestamp, double value);
    }

    private WalTestAccess() {
    }

    public static void forEach(Wal wal, Sample sample) throws Exception {
        try (WalReader reader = wal.reader(WalPosition.START)) {
            WalRecords r;
            while ((r = reader.next(20)) != null) {
                for (int i = 0; i < r.count; i++) {
                    sample.accept(wal.series(r.refs[i]).labels(), r.timestamps[i], r.values[i]);
                }
            }
        }
    }

    public static boolean isStale(double value) {
        return Double.doubleToRawLongBits(value) == SampleBatch.STALE_NAN_BITS;
    }
}

package io.vedetta.agent.remotewrite;

import io.vedetta.agent.protobuf.ProtoReader;
import io.vedetta.agent.protobuf.ProtoWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How far one endpoint's shards have been acknowledged by the receiver, kept on disk so a restart resumes exactly
 * there: a record per acknowledged request ({@code shard s of n is at position p}) and one when the endpoint
 * reshards ({@code all n shards are at p}). Appended with one write each, so a SIGKILL loses at most the
 * acknowledgement of the request in flight, which is then sent again. Rewritten whole when it grows.
 */
final class AckLog implements AutoCloseable {

    private static final long REWRITE_BYTES = 64 << 10;

    private final Path path;
    private RecordFile file;
    private int shards;
    private WalPosition[] acked;
    private final ProtoWriter record = new ProtoWriter(64);
    private final ProtoWriter framed = new ProtoWriter(128);

    private AckLog(Path path) {
        this.path = path;
    }

    /** Opens (or creates) the log at {@code path} and reads the positions it holds. */
    static AckLog open(Path path) throws IOException {
        AckLog log = new AckLog(path);
        log.file = RecordFile.open(path, log::replay);
        return log;
    }

    private void replay(byte[] bytes, int from, int length) {
        ProtoReader r = new ProtoReader(bytes, from, from + length);
        int n = (int) r.varint();
        int shard = (int) r.varint();
        WalPosition p = new WalPosition((int) r.varint(), r.varint(), (int) r.varint());
        if (shard == 0) {
            shards = n;
            acked = new WalPosition[n];
            Arrays.fill(acked, p);
        } else if (acked != null && n == shards && shard <= n) {
            acked[shard - 1] = p;
        }
    }

    /** Whether the endpoint had acknowledged anything before this run. */
    boolean existed() {
        return acked != null;
    }

    int shards() {
        return shards;
    }

    WalPosition[] positions() {
        return acked.clone();
    }

    /** Every one of {@code n} shards is at {@code p}: written at the first start and when resharding. */
    synchronized void reset(int n, WalPosition p) throws IOException {
        shards = n;
        acked = new WalPosition[n];
        Arrays.fill(acked, p);
        append(n, 0, p);
    }

    /** Shard {@code shard} has been acknowledged up to {@code p}. */
    synchronized void acknowledge(int shard, WalPosition p) throws IOException {
        acked[shard] = p;
        append(shards, shard + 1, p);
        if (file.size() > REWRITE_BYTES) {
            rewrite();
        }
    }

    synchronized WalPosition oldest() {
        WalPosition oldest = acked[0];
        for (WalPosition p : acked) {
            oldest = WalPosition.min(oldest, p);
        }
        return oldest;
    }

    private void append(int n, int shard, WalPosition p) throws IOException {
        framed.clear();
        encode(framed, n, shard, p);
        file.appendFramed(framed.array(), framed.size());
    }

    private void encode(ProtoWriter out, int n, int shard, WalPosition p) {
        record.clear();
        record.varint(n);
        record.varint(shard);
        record.varint(p.segment());
        record.varint(p.offset());
        record.varint(p.index());
        RecordFile.frame(out, record.array(), 0, record.size());
    }

    private void rewrite() throws IOException {
        ProtoWriter all = new ProtoWriter(64 * (shards + 1));
        encode(all, shards, 0, oldest());
        for (int i = 0; i < shards; i++) {
            encode(all, shards, i + 1, acked[i]);
        }
        file.close();
        RecordFile.replace(path, all.array(), all.size());
        file = RecordFile.open(path, (bytes, from, length) -> { });
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}

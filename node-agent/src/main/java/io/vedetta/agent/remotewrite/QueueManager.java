package io.vedetta.agent.remotewrite;

import io.vedetta.agent.config.RemoteWriteConfig.Endpoint;
import io.vedetta.agent.relabel.LabelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote_write endpoint: a reader thread that follows the write-ahead log from where the endpoint was last
 * acknowledged, applies write relabelling (once per series, the external labels added first), and hands each sample
 * to the shard of its series; the shards ({@link Shard}) send, merging in the external labels as they encode when no
 * write relabelling is configured. Every ten seconds the number of shards follows the rates as Prometheus computes
 * it: the time one sample takes to send, times the samples coming in plus 5% of the backlog per second, within {@code
 * minShards} and {@code maxShards}, changed only beyond 30% and never down while more than ten seconds behind. A
 * reshard first lets every shard send what it holds, so all of them stand at one position of the log, which is what
 * the acknowledgement log then records.
 *
 * <p>After a restart the endpoint resumes with the shard count and positions of its {@link AckLog}: a sample is sent
 * again only if its shard had not been acknowledged past it, so what the receiver took is not sent twice (which a
 * Prometheus receiver would refuse as out of order, with the rest of the request).
 */
final class QueueManager implements Wal.Cursor {

    private static final Logger LOG = LoggerFactory.getLogger(QueueManager.class);
    private static final long SHARD_UPDATE_NANOS = Duration.ofSeconds(10).toNanos();
    private static final double EWMA_WEIGHT = 0.2;
    private static final double SHARD_TOLERANCE = 0.3;

    private final Endpoint endpoint;
    private final Wal wal;
    private final Map<String, String> externalLabels;
    private final int endpointIndex;
    private final int endpointCount;
    private final RemoteWriteClient client;
    private final EndpointMetrics metrics;
    private final AckLog acks;
    /** Plans where the external labels go in each series' labels, once per series; the reader thread's. */
    private final ExternalLabels planner;

    private volatile Shard[] shards;
    private Thread[] shardThreads;
    private WalReader reader;
    private volatile WalPosition readPosition;
    private WalPosition resumeEnd;
    private Thread readerThread;
    private volatile boolean running;

    private final LongAdder samplesIn = new LongAdder();
    private final LongAdder samplesOut = new LongAdder();
    private final LongAdder samplesDropped = new LongAdder();
    private final LongAdder sendNanos = new LongAdder();
    private double inRate = Double.NaN;
    private double outRate = Double.NaN;
    private double droppedRate = Double.NaN;
    private double sendSecondsRate = Double.NaN;
    private long lastShardUpdate = System.nanoTime();
    private volatile long highestSentMillis;

    private volatile boolean failing;
    private final Set<Integer> refusalsLogged = ConcurrentHashMap.newKeySet();

    QueueManager(Endpoint endpoint, Wal wal, Map<String, String> externalLabels, int endpointIndex, int endpointCount,
            RemoteWriteClient client, EndpointMetrics metrics, Path ackDir) throws IOException {
        this.endpoint = endpoint;
        this.wal = wal;
        this.externalLabels = externalLabels;
        this.endpointIndex = endpointIndex;
        this.endpointCount = endpointCount;
        this.client = client;
        this.metrics = metrics;
        this.acks = AckLog.open(ackDir.resolve(ackFileName(endpoint)));
        this.planner = mergedExternalLabels();
    }

    /** The acknowledgement log's name: the endpoint's name and its URL's hash, so a new URL starts afresh. */
    static String ackFileName(Endpoint endpoint) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(endpoint.url().toString().getBytes(StandardCharsets.UTF_8));
            return "acks-" + endpoint.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                    + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * Starts where the endpoint was acknowledged in the last run, or, for an endpoint new to this log, at its end
     * (as Prometheus starts a new queue at the time it starts).
     */
    void start() throws IOException {
        WalPosition[] restored;
        if (acks.existed()) {
            restored = acks.positions();
            LOG.info("remote_write endpoint {} resumes with {} shards from {}", endpoint.name(), restored.length,
                    acks.oldest());
        } else {
            restored = new WalPosition[endpoint.queue().minShards()];
            Arrays.fill(restored, wal.end());
            acks.reset(restored.length, restored[0]);
        }
        WalPosition start = restored[0];
        resumeEnd = restored[0];
        for (WalPosition p : restored) {
            start = WalPosition.min(start, p);
            resumeEnd = WalPosition.max(resumeEnd, p);
        }
        reader = wal.reader(start);
        readPosition = start;
        startShards(restored);
        metrics.bindBacklog(() -> wal.bytesAfter(acks.oldest()));
        wal.register(this);
        running = true;
        readerThread = new Thread(this::readLoop, "vedetta-remote-write-" + endpoint.name());
        readerThread.setDaemon(true);
        readerThread.start();
    }

    private void startShards(WalPosition[] restored) {
        Shard[] created = new Shard[restored.length];
        Thread[] threads = new Thread[restored.length];
        for (int i = 0; i < created.length; i++) {
            created[i] = new Shard(i, this, endpoint.queue(), restored[i]);
            threads[i] = new Thread(created[i], "vedetta-remote-write-" + endpoint.name() + "-shard-" + i);
            threads[i].setDaemon(true);
        }
        shards = created;
        shardThreads = threads;
        metrics.shards.set(created.length);
        for (Thread t : threads) {
            t.start();
        }
    }

    private void readLoop() {
        try {
            while (running) {
                WalRecords records = reader.next(250);
                if (records != null) {
                    dispatch(records, reader.recordSegment(), reader.recordOffset());
                }
                readPosition = reader.position();
                updateShards();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.error("remote_write endpoint {} stopped reading the write-ahead log: {}", endpoint.name(),
                    e.toString(), e);
        }
    }

    private void dispatch(WalRecords r, int segment, long offset) throws InterruptedException {
        Shard[] current = shards;
        int n = current.length;
        boolean resuming = !resumeEnd.isBefore(new WalPosition(segment, offset, 0));
        for (int i = 0; i < r.count; i++) {
            Series s = wal.series(r.refs[i]);
            if (s == null) {
                continue;
            }
            Shard shard = current[shardOf(s.ref, n)];
            if (resuming && before(segment, offset, i, shard.restored)) {
                continue;
            }
            byte[] labels = labelsFor(s);
            if (labels == null) {
                metrics.dropped.increment();
                samplesDropped.increment();
                continue;
            }
            int plan = ExternalLabels.UNPLANNED;
            if (!planner.isEmpty()) {
                // Merging: labels are the series' own, and every endpoint that merges merges the same labels.
                plan = s.externalPlan;
                if (plan == ExternalLabels.UNPLANNED) {
                    plan = planner.plan(labels);
                    s.externalPlan = plan;
                }
            }
            metrics.pending.incrementAndGet();
            samplesIn.increment();
            shard.put(labels, plan, r.timestamps[i], r.values[i], segment, offset, i);
        }
    }

    private static boolean before(int segment, long offset, int index, WalPosition p) {
        if (segment != p.segment()) {
            return segment < p.segment();
        }
        if (offset != p.offset()) {
            return offset < p.offset();
        }
        return index < p.index();
    }

    /** A series' shard: a mix of its reference, so that consecutive references spread. */
    static int shardOf(int ref, int shards) {
        int h = ref * 0x9E3779B9;
        h ^= h >>> 16;
        return (h & Integer.MAX_VALUE) % shards;
    }

    /**
     * The labels this endpoint sends for {@code s} (before its shards merge in {@link #mergedExternalLabels}), or null
     * when write relabelling drops it; relabelled once per series.
     */
    private byte[] labelsFor(Series s) {
        if (endpoint.writeRelabelConfigs().isEmpty()) {
            return s.labels;
        }
        Object[] per = s.perEndpoint;
        if (per == null) {
            synchronized (s) {
                per = s.perEndpoint;
                if (per == null) {
                    per = new Object[endpointCount];
                    s.perEndpoint = per;
                }
            }
        }
        Object labels = per[endpointIndex];
        if (labels == null) {
            labels = relabel(s);
            per[endpointIndex] = labels;
        }
        return labels == Series.DROPPED ? null : (byte[]) labels;
    }

    private Object relabel(Series s) {
        LabelBuilder b = new LabelBuilder(SeriesLabels.decode(s.labels));
        externalLabels.forEach((name, value) -> {
            if (!b.has(name)) {
                b.set(name, value);
            }
        });
        if (!endpoint.writeRelabelConfigs().apply(b)) {
            return Series.DROPPED;
        }
        byte[] encoded = SeriesLabels.encode(b.toMap());
        return Arrays.equals(encoded, s.labels) ? s.labels : encoded;
    }

    /**
     * The external labels a shard merges into each series' labels as it encodes them: all of them without write
     * relabelling; none with it, since relabelling sees them and they are in the labels it leaves
     * ({@link #labelsFor}, kept per series).
     */
    ExternalLabels mergedExternalLabels() {
        return new ExternalLabels(endpoint.writeRelabelConfigs().isEmpty() ? externalLabels : Map.of());
    }

    RemoteWriteClient client() {
        return client;
    }

    void delivered(int shard, int samples, int bytes, long maxTimestamp, long nanos, WalPosition end) {
        metrics.samples.increment(samples);
        metrics.bytes.increment(bytes);
        metrics.sentBatch.record(Duration.ofNanos(nanos));
        metrics.pending.addAndGet(-samples);
        metrics.highestSentMillis.accumulateAndGet(maxTimestamp, Math::max);
        highestSentMillis = Math.max(highestSentMillis, maxTimestamp);
        samplesOut.add(samples);
        sendNanos.add(nanos);
        acknowledge(shard, end);
        if (failing) {
            failing = false;
            LOG.info("remote_write endpoint {} accepts requests again", endpoint.name());
        }
    }

    void refused(int shard, int samples, RemoteWriteClient.Outcome outcome, WalPosition end) {
        metrics.failed.increment(samples);
        metrics.pending.addAndGet(-samples);
        acknowledge(shard, end);
        if (refusalsLogged.add(outcome.status())) {
            LOG.error("remote_write endpoint {} refused {} samples with HTTP {}: {}; they are not sent again (counted"
                    + " in prometheus_remote_storage_samples_failed_total; further refusals with this status are only"
                    + " counted)", endpoint.name(), samples, outcome.status(), outcome.message());
        }
    }

    void retrying(int samples, RemoteWriteClient.Outcome outcome, IOException failure, long sleepMillis) {
        metrics.retried.increment(samples);
        if (!failing) {
            failing = true;
            String what = outcome != null ? "HTTP " + outcome.status() + " (" + outcome.message() + ")"
                    : failure.getClass().getSimpleName() + ": " + failure.getMessage();
            LOG.warn("remote_write endpoint {} failed: {}; retrying in {}ms with backoff, the samples wait in the"
                    + " write-ahead log (logged again when it recovers)", endpoint.name(), what, sleepMillis);
        }
    }

    private void acknowledge(int shard, WalPosition end) {
        try {
            acks.acknowledge(shard, end);
        } catch (IOException e) {
            LOG.warn("cannot record what remote_write endpoint {} acknowledged: {}; after a restart it may be sent"
                    + " again", endpoint.name(), e.getMessage());
        }
    }

    /** Recomputes the shard count every ten seconds, and reshards when it moved far enough. */
    private void updateShards() throws InterruptedException, IOException {
        long now = System.nanoTime();
        if (now - lastShardUpdate < SHARD_UPDATE_NANOS) {
            return;
        }
        double seconds = (now - lastShardUpdate) / 1e9;
        lastShardUpdate = now;
        inRate = ewma(inRate, samplesIn.sumThenReset() / seconds);
        outRate = ewma(outRate, samplesOut.sumThenReset() / seconds);
        droppedRate = ewma(droppedRate, samplesDropped.sumThenReset() / seconds);
        sendSecondsRate = ewma(sendSecondsRate, sendNanos.sumThenReset() / 1e9 / seconds);
        int current = shards.length;
        int desired = desiredShards(current);
        metrics.desiredShards.set(desired);
        if (desired != current && !failing && !readPosition.isBefore(resumeEnd)) {
            reshard(desired);
        }
    }

    private static double ewma(double old, double sample) {
        return Double.isNaN(old) ? sample : EWMA_WEIGHT * sample + (1 - EWMA_WEIGHT) * old;
    }

    /** Prometheus 2.42's {@code calculateDesiredShards}, with the backlog measured in the log's timestamps. */
    int desiredShards(int current) {
        if (!(outRate > 0)) {
            return current;
        }
        double keptRatio = outRate / (droppedRate + outRate);
        double delaySeconds = Math.max(0, (wal.highestTimestamp() - highestSentMillis) / 1000.0);
        double pending = delaySeconds * inRate * keptRatio;
        double timePerSample = sendSecondsRate / outRate;
        double desired = Math.ceil(timePerSample * (inRate * keptRatio + 0.05 * pending));
        if (current * (1 - SHARD_TOLERANCE) <= desired && desired <= current * (1 + SHARD_TOLERANCE)) {
            return current;
        }
        int shardsWanted = (int) Math.max(endpoint.queue().minShards(),
                Math.min(endpoint.queue().maxShards(), desired));
        if (shardsWanted < current && delaySeconds > 10) {
            return current;
        }
        return shardsWanted;
    }

    /** Lets every shard send what it holds, records the one position all now stand at, and starts {@code n} shards. */
    private void reshard(int n) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        for (Shard s : shards) {
            if (!s.drain(deadline) || failing) {
                return;
            }
        }
        WalPosition all = reader.position();
        acks.reset(n, all);
        stopShards(System.nanoTime());
        WalPosition[] restored = new WalPosition[n];
        Arrays.fill(restored, all);
        LOG.info("remote_write endpoint {} reshards from {} to {} shards", endpoint.name(), shards.length, n);
        startShards(restored);
    }

    private void stopShards(long hardStopNanos) throws InterruptedException {
        for (Shard s : shards) {
            s.stop(hardStopNanos);
        }
        for (Thread t : shardThreads) {
            t.join(Math.max(1, (hardStopNanos - System.nanoTime()) / 1_000_000 + 1000));
        }
    }

    /**
     * Stops reading, lets the shards send what they hold until {@code hardStop} ({@link System#nanoTime}), and stops. What is left unsent stays
     * in the log, unacknowledged, for the next run.
     */
    void stop(long hardStop) {
        running = false;
        wal.unregister(this);
        try {
            readerThread.interrupt();
            readerThread.join(1000);
            stopShards(hardStop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            reader.close();
            acks.close();
        } catch (IOException e) {
            LOG.warn("closing remote_write endpoint {}: {}", endpoint.name(), e.getMessage());
        }
    }

    @Override
    public WalPosition acknowledged() {
        return acks.oldest();
    }

    @Override
    public WalPosition read() {
        return readPosition;
    }

    @Override
    public void lost(long samples, String reason) {
        metrics.lost(reason).increment(samples);
    }

    String name() {
        return endpoint.name();
    }

    int shardCount() {
        return shards.length;
    }
}

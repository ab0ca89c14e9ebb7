package io.vedetta.agent.remotewrite;

import io.vedetta.agent.config.RemoteWriteConfig.Queue;
import io.vedetta.time.Backoff;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One of an endpoint's parallel senders: a bounded queue of samples (its series always land in the same shard, so
 * their order holds) and a thread that sends them in batches of up to {@code maxSamplesPerSend}, or what came within
 * {@code batchSendDeadline}, one request at a time, retried until the receiver takes it or refuses it for good.
 * Each acknowledged request moves the shard's position in the endpoint's {@link AckLog}.
 */
final class Shard implements Runnable {

    private final int index;
    private final QueueManager queue;
    private final Queue settings;
    private final WriteRequestEncoder encoder;

    private final byte[][] labels;
    private final int[] plans;
    private final long[] timestamps;
    private final double[] values;
    private final int[] segments;
    private final long[] offsets;
    private final int[] indexes;
    private int head;
    private int size;
    private long oldestNanos;
    private boolean inFlight;
    private boolean stopping;
    private volatile long hardStopNanos = Long.MAX_VALUE;

    private final byte[][] batchLabels;
    private final int[] batchPlans;
    private final long[] batchTimestamps;
    private final double[] batchValues;
    private WalPosition batchEnd;

    /** Samples of this shard before {@code restored} were acknowledged in an earlier run. */
    final WalPosition restored;
    /** Between retries of a batch; jittered so the shards of many agents spread out after an outage. */
    private final Backoff backoff;

    Shard(int index, QueueManager queue, Queue settings, WalPosition restored) {
        this.index = index;
        this.queue = queue;
        this.settings = settings;
        this.restored = restored;
        this.encoder = new WriteRequestEncoder(queue.mergedExternalLabels());
        this.backoff = Backoff.jittered(settings.minBackoff(), settings.maxBackoff());
        int capacity = settings.capacity();
        labels = new byte[capacity][];
        plans = new int[capacity];
        timestamps = new long[capacity];
        values = new double[capacity];
        segments = new int[capacity];
        offsets = new long[capacity];
        indexes = new int[capacity];
        int batch = settings.maxSamplesPerSend();
        batchLabels = new byte[batch][];
        batchPlans = new int[batch];
        batchTimestamps = new long[batch];
        batchValues = new double[batch];
    }

    /**
     * Queues a sample, waiting while the queue is full; {@code plan} says where the external labels go in {@code l}
     * ({@link ExternalLabels#plan}).
     */
    synchronized void put(byte[] l, int plan, long timestamp, double value, int segment, long offset,
            int sampleIndex) throws InterruptedException {
        while (size == labels.length) {
            wait();
        }
        int at = (head + size) % labels.length;
        labels[at] = l;
        plans[at] = plan;
        timestamps[at] = timestamp;
        values[at] = value;
        segments[at] = segment;
        offsets[at] = offset;
        indexes[at] = sampleIndex;
        if (size == 0) {
            oldestNanos = System.nanoTime();
        }
        size++;
        if (size == 1 || size >= batchLabels.length) {
            notifyAll();
        }
    }

    synchronized int queued() {
        return size + (inFlight ? 1 : 0);
    }

    /** Waits until everything queued has been acknowledged or refused; false if stopped first. */
    synchronized boolean drain(long deadlineNanos) throws InterruptedException {
        while ((size > 0 || inFlight) && !stopping) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return size == 0 && !inFlight;
    }

    /** Sends what is queued, then ends; gives up on a request still failing at {@code hardStopNanos}. */
    synchronized void stop(long hardStopNanos) {
        stopping = true;
        this.hardStopNanos = hardStopNanos;
        notifyAll();
    }

    @Override
    public void run() {
        try {
            int n;
            while ((n = take()) > 0) {
                send(n);
                synchronized (this) {
                    inFlight = false;
                    notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes the next batch, waiting for it to fill or its deadline; 0 once stopped and empty. */
    private synchronized int take() throws InterruptedException {
        while (true) {
            if (stopping && System.nanoTime() >= hardStopNanos) {
                // What is left stays in the write-ahead log, unacknowledged: the next run sends it.
                return 0;
            }
            if (size == 0) {
                if (stopping) {
                    return 0;
                }
                wait();
                continue;
            }
            long waited = System.nanoTime() - oldestNanos;
            long deadline = settings.batchSendDeadline().toNanos();
            if (size >= batchLabels.length || waited >= deadline || stopping) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, deadline - waited);
        }
        int n = Math.min(size, batchLabels.length);
        int last = 0;
        for (int i = 0; i < n; i++) {
            int at = (head + i) % labels.length;
            batchLabels[i] = labels[at];
            batchPlans[i] = plans[at];
            batchTimestamps[i] = timestamps[at];
            batchValues[i] = values[at];
            labels[at] = null;
            last = at;
        }
        batchEnd = new WalPosition(segments[last], offsets[last], indexes[last] + 1);
        head = (head + n) % labels.length;
        size -= n;
        if (size > 0) {
            oldestNanos = System.nanoTime();
        }
        inFlight = true;
        notifyAll();
        return n;
    }

    /** Sends a batch until the receiver takes it or refuses it for good, or the hard stop comes. */
    private void send(int n) throws InterruptedException {
        encoder.encode(batchLabels, batchPlans, batchTimestamps, batchValues, n);
        long started = System.nanoTime();
        int attempt = 0;
        while (true) {
            RemoteWriteClient.Outcome outcome = null;
            IOException failure = null;
            try {
                outcome = queue.client().send(encoder.body(), encoder.length());
            } catch (IOException e) {
                failure = e;
            }
            if (outcome != null && outcome.succeeded()) {
                queue.delivered(index, n, encoder.length(), maxTimestamp(n), System.nanoTime() - started, batchEnd);
                break;
            }
            boolean recoverable = outcome == null || outcome.status() / 100 == 5
                    || outcome.status() == 429 && settings.retryOnRateLimit()
                    || (outcome.status() == 401 || outcome.status() == 403) && queue.client().credentialsChanged();
            if (!recoverable) {
                queue.refused(index, n, outcome, batchEnd);
                break;
            }
            if (System.nanoTime() >= hardStopNanos) {
                break;
            }
            long sleep = outcome != null && outcome.retryAfterMillis() > 0 ? outcome.retryAfterMillis()
                    : backoff.delayMillis(attempt++);
            queue.retrying(n, outcome, failure, sleep);
            sleepUntilRetry(sleep);
            if (System.nanoTime() >= hardStopNanos) {
                break;
            }
        }
        Arrays.fill(batchLabels, 0, n, null);
    }

    private void sleepUntilRetry(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        synchronized (this) {
            long left;
            while ((left = Math.min(until, hardStopNanos) - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private long maxTimestamp(int n) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, batchTimestamps[i]);
        }
        return max;
    }

    int index() {
        return index;
    }
}

package io.vedetta.agent.cluster.events;

import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.agent.kube.WatchErrors;
import io.vedetta.logs.record.Acknowledgement;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.time.Backoff;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's Kubernetes events (events.k8s.io/v1, all namespaces), read by the leader and handed to the log
 * sink (its buffer, routing and Elasticsearch bulk path) as {@link EventDocument}s.
 *
 * <p>Nothing is lost across a change of leader or a restart: a term resumes the watch from a checkpoint, the
 * resource version up to which the sink has acknowledged every update ({@link Checkpoints}). The checkpoint travels
 * on the Lease (the leader's renewals carry it, so the next leader finds it whichever node it runs on) and is kept
 * in {@code <stateDir>/events-checkpoint.json} too; the Lease's wins when both exist. Without one, or when the API
 * server no longer has that version (410 Gone), the events are listed again. Updates seen twice on that way keep
 * their ids, so Elasticsearch stores each once. Lists use the watch cache ({@code resourceVersion=0}) at the start
 * and a consistent read after a 410; watches ask for bookmarks, which move the checkpoint in quiet clusters.
 *
 * <p>One thread per term reads the watch's queue, batches records ({@value #BATCH} or {@link #LINGER}) and waits
 * for the sink to accept each batch, so a slow sink slows the watch instead of filling memory.
 */
public final class EventsSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventsSource.class);
    static final int BATCH = 500;
    static final Duration LINGER = Duration.ofMillis(500);
    private static final int QUEUE = 4 * BATCH;
    private static final int RELIST_AFTER_FAILURES = 5;

    private final KubernetesClient client;
    private final Sink sink;
    private final CheckpointFile file;
    private final EventsMetrics metrics;
    private final WatchErrors errors;
    private final Backoff backoff;
    private final ScheduledExecutorService saver;
    private volatile Term term;
    private String saved;

    public EventsSource(KubernetesClient client, Sink sink, Path stateDir, MeterRegistry registry, WatchErrors errors,
            Duration retryInitial, Duration retryMax) {
        this.client = client;
        this.sink = sink;
        this.file = new CheckpointFile(stateDir);
        this.errors = errors;
        this.backoff = Backoff.jittered(retryInitial, retryMax);
        this.metrics = new EventsMetrics(registry, () -> {
            Term t = term;
            return t == null ? 0 : t.checkpoints.pending();
        });
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vedetta-events-checkpoint");
            t.setDaemon(true);
            return t;
        });
        saver.scheduleWithFixedDelay(this::save, 1, 1, TimeUnit.SECONDS);
    }

    /** Starts reading from {@code leaseCheckpoint}, else the state directory's, else from a full list. */
    public synchronized void start(Optional<String> leaseCheckpoint) {
        if (term != null) {
            return;
        }
        Optional<String> from = leaseCheckpoint.or(this::storedCheckpoint);
        LOG.info("shipping the cluster's Kubernetes events, {}", from.map(rv -> "resuming at resource version " + rv
                + (leaseCheckpoint.isPresent() ? " (from the Lease)" : " (from " + file.path() + ")"))
                .orElse("from a full list (no checkpoint)"));
        term = new Term(from);
        term.thread.start();
    }

    private Optional<String> storedCheckpoint() {
        try {
            return file.read();
        } catch (IOException e) {
            metrics.checkpointErrors.increment();
            LOG.warn("cannot read the events checkpoint {}; the events are listed again (their ids keep Elasticsearch"
                    + " free of duplicates): {}", file.path(), e.toString());
            return Optional.empty();
        }
    }

    /** The version up to which the sink acknowledged this term's events; empty while not reading or before any. */
    public Optional<String> checkpoint() {
        Term t = term;
        return t == null ? Optional.empty() : t.checkpoints.acknowledged();
    }

    /**
     * Stops the watch at once; what the sink still holds keeps being acknowledged for up to {@code grace}, then the
     * checkpoint reached is written.
     */
    public void stop(Duration grace) {
        Term t;
        synchronized (this) {
            t = term;
            if (t == null) {
                return;
            }
        }
        t.stop();
        long deadline = System.nanoTime() + grace.toNanos();
        while (t.checkpoints.pending() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        save(t);
        synchronized (this) {
            if (term == t) {
                term = null;
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(2));
        saver.shutdownNow();
    }

    private void save() {
        Term t = term;
        if (t != null) {
            save(t);
        }
    }

    private synchronized void save(Term t) {
        Optional<String> reached = t.checkpoints.acknowledged();
        if (reached.isEmpty() || reached.get().equals(saved)) {
            return;
        }
        try {
            file.write(reached.get());
            saved = reached.get();
        } catch (IOException e) {
            metrics.checkpointErrors.increment();
            LOG.warn("cannot write the events checkpoint {}: {}", file.path(), e.toString());
        }
    }

    /** What the watch hands the reading thread. */
    private sealed interface Change {
        record Updated(Event event) implements Change {
        }

        record Version(String resourceVersion) implements Change {
        }

        record Closed(WatcherException cause) implements Change {
        }
    }

    /** One leadership term's reading: its thread, watch and checkpoints. */
    private final class Term implements Watcher<Event> {

        final Checkpoints checkpoints;
        final Thread thread;
        final BlockingQueue<Change> changes = new LinkedBlockingQueue<>(QUEUE);
        final AtomicReference<Watch> watch = new AtomicReference<>();
        final List<SinkRecord> batch = new ArrayList<>(BATCH);
        volatile boolean stopped;
        String resourceVersion;
        boolean consistentList;
        long batchStarted;
        int failures;

        Term(Optional<String> from) {
            this.checkpoints = new Checkpoints(from);
            this.resourceVersion = from.orElse(null);
            this.thread = new Thread(this::run, "vedetta-cluster-events");
            thread.setDaemon(true);
        }

        void stop() {
            stopped = true;
            closeWatch();
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            try {
                while (!stopped) {
                    Duration retryIn = readUntilClosed();
                    if (retryIn != null) {
                        Thread.sleep(retryIn.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                // Stopped.
            }
        }

        /** Lists when there is no version to go on from, then watches; the delay before the next try on failure. */
        private Duration readUntilClosed() throws InterruptedException {
            try {
                if (resourceVersion == null) {
                    list();
                }
                watchUntilClosed();
                return null;
            } catch (KubernetesClientException e) {
                if (stopped) {
                    return null;
                }
                if (e.getCode() == 410) {
                    gone();
                    return null;
                }
                String reason = errors.count(e);
                if (++failures % RELIST_AFTER_FAILURES == 0 && resourceVersion != null) {
                    // A version the API server keeps refusing (too large after an etcd restore, another cluster's)
                    // would be retried forever; a fresh list starts over from what the server has.
                    gone();
                }
                Duration delay = Duration.ofMillis(backoff.delayMillis(failures - 1));
                LOG.warn("listing or watching the cluster's events failed [{}], retrying in {} ms: {}", reason,
                        delay.toMillis(), WatchErrors.describe(e));
                return delay;
            }
        }

        private void list() throws InterruptedException {
            ListOptions options = new ListOptionsBuilder().withResourceVersion(consistentList ? null : "0").build();
            EventList list = client.events().v1().events().inAnyNamespace().list(options);
            metrics.relist(consistentList ? EventsMetrics.GONE : EventsMetrics.START).increment();
            for (Event event : list.getItems()) {
                add(event, null);
            }
            flush();
            resourceVersion = list.getMetadata().getResourceVersion();
            checkpoints.version(resourceVersion);
            consistentList = false;
            failures = 0;
            LOG.info("listed {} events at resource version {}", list.getItems().size(), resourceVersion);
        }

        private void watchUntilClosed() throws InterruptedException {
            changes.clear();
            ListOptions options = new ListOptionsBuilder().withResourceVersion(resourceVersion)
                    .withAllowWatchBookmarks(true).build();
            watch.set(client.events().v1().events().inAnyNamespace().watch(options, this));
            if (stopped) {
                closeWatch();
                return;
            }
            while (!stopped) {
                Change change = batch.isEmpty() ? changes.take()
                        : changes.poll(Math.max(1, batchStarted + LINGER.toNanos() - System.nanoTime()),
                                TimeUnit.NANOSECONDS);
                if (change == null) {
                    flush();
                } else if (change instanceof Change.Updated u) {
                    String version = u.event().getMetadata().getResourceVersion();
                    add(u.event(), version);
                    resourceVersion = version;
                    failures = 0;
                } else if (change instanceof Change.Version v) {
                    flush();
                    checkpoints.version(v.resourceVersion());
                    resourceVersion = v.resourceVersion();
                } else if (change instanceof Change.Closed c) {
                    flush();
                    closeWatch();
                    if (c.cause().isHttpGone()) {
                        gone();
                        return;
                    }
                    throw c.cause().asClientException();
                }
            }
        }

        /** The checkpoint is unusable (410 Gone, or refused again and again): list again, consistently. */
        private void gone() {
            LOG.warn("resource version {} of the events cannot be watched from (410 Gone or refused {} times);"
                    + " listing them again", resourceVersion, RELIST_AFTER_FAILURES);
            resourceVersion = null;
            consistentList = true;
        }

        private void add(Event event, String version) throws InterruptedException {
            EventDocument doc;
            try {
                doc = EventDocument.of(event);
            } catch (RuntimeException e) {
                LOG.warn("an event the API server sent cannot be read and is skipped: {}", e.toString());
                return;
            }
            metrics.received(event.getType());
            Acknowledgement registered = checkpoints.record(version);
            Acknowledgement ack = () -> {
                metrics.acknowledged.increment();
                registered.acknowledge();
            };
            if (batch.isEmpty()) {
                batchStarted = System.nanoTime();
            }
            batch.add(new SinkRecord(RecordId.of(doc.id()), doc, ack));
            if (batch.size() >= BATCH) {
                flush();
            }
        }

        /** Hands the batch to the sink and waits until it accepts it (the buffer's backpressure). */
        private void flush() throws InterruptedException {
            if (batch.isEmpty()) {
                return;
            }
            List<SinkRecord> out = List.copyOf(batch);
            batch.clear();
            try {
                sink.send(out).get();
            } catch (ExecutionException e) {
                // Only a closing sink refuses a batch; its records stay unacknowledged and the checkpoint before them.
                LOG.warn("the log sink refused {} events ({}); they are read again by the next term", out.size(),
                        e.getCause().toString());
                stopped = true;
                throw new InterruptedException("the log sink is closed");
            }
        }

        @Override
        public void eventReceived(Action action, Event event) {
            Change change = switch (action) {
                case ADDED, MODIFIED -> new Change.Updated(event);
                case DELETED, BOOKMARK -> event == null || event.getMetadata() == null ? null
                        : new Change.Version(event.getMetadata().getResourceVersion());
                default -> null;
            };
            if (change != null) {
                enqueue(change);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            enqueue(new Change.Closed(cause));
        }

        @Override
        public void onClose() {
            // Closed by this side (a stopped term): nothing to do.
        }

        private void enqueue(Change change) {
            try {
                // Blocks fabric8's watch thread while the reader is behind: backpressure onto the watch.
                boolean queued = false;
                while (!stopped && !queued) {
                    queued = changes.offer(change, 100, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void closeWatch() {
            Watch w = watch.getAndSet(null);
            if (w != null) {
                w.close();
            }
        }
    }
}

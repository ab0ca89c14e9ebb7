package io.vedetta.agent.cluster.election;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.agent.config.ClusterConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's part in electing the cluster collector: fabric8's {@link LeaderElector} on the Lease
 * {@code cluster.leaseName} in {@code cluster.namespace}, run again whenever a run ends (fabric8's elector competes
 * once: after losing the lease it never tries again).
 *
 * <p>Safety does not rest on fabric8's renew loop alone: a renewal request that hangs (a partitioned node, a
 * black-holed API server) delays fabric8's own renew-deadline check by the request's timeout. A watchdog therefore
 * steps down as soon as {@code renewDeadline} has passed since the last successful renewal, measured from before
 * that request was sent, and followers take over only {@code leaseDuration} after the renew time that request
 * wrote. So a leader has stopped its cluster-wide watches and series before another can start, provided the nodes'
 * clocks agree to within {@code leaseDuration - renewDeadline} (fabric8 compares the Lease's renew time with the
 * follower's clock). A stopped agent releases the Lease ({@code releaseOnCancel}) so the next one takes over
 * without waiting the lease out.
 *
 * <p>A follower does not leave the takeover to fabric8's acquire loop alone, which tries every retry period plus up to
 * 1.2 times it (its jitter): when a Lease it reads will expire, it tries again right then (plus a random part of
 * half a retry period, so that not every follower writes at the same instant). A killed leader is thus replaced
 * within {@code leaseDuration + retryPeriod} of its last renewal.
 *
 * <p>Threads: fabric8's elector runs on one thread; the listener is called on another, in order, so starting and
 * stopping watches never holds up a renewal; {@link #leading()} changes at once, before the listener hears of it.
 */
public final class LeaderElection implements AutoCloseable {

    /** What leadership starts and stops. Called on one thread, start and stop alternating. */
    public interface Listener {

        /** @param checkpoint the events' checkpoint the Lease carried when this agent acquired it */
        void startLeading(Optional<String> checkpoint);

        void stopLeading(String reason);
    }

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private final KubernetesClient client;
    private final ClusterConfig config;
    private final Supplier<Optional<String>> checkpoint;
    private final Listener listener;
    private final ElectionMetrics metrics;
    private final ExecutorService electorThread;
    private final ExecutorService listenerThread;
    private final ScheduledExecutorService timer;
    private final long renewDeadlineNanos;
    private Run current;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> takeover;
    private boolean stopped;
    private volatile boolean leading;

    /** One elector with its own lock; ended for good once it stepped down or was stopped. */
    private final class Run {
        final ElectionLock lock;
        final LeaderElector elector;
        volatile long lastRenewNanos;
        volatile boolean leading;
        /** Once this run has led, each of its writes carries the events' checkpoint, its release included. */
        volatile boolean led;
        volatile boolean ended;
        CompletableFuture<?> future;

        Run() {
            this.lock = new ElectionLock(config.namespace(), config.leaseName(), config.identity(),
                    config.leaseDuration(), () -> led ? checkpoint.get() : Optional.empty(), now -> lastRenewNanos = now,
                    metrics::leaseError, record -> observed(this, record));
            this.elector = new LeaderElector(client, new LeaderElectionConfigBuilder()
                    .withName("vedetta-cluster")
                    .withLock(lock)
                    .withLeaseDuration(config.leaseDuration())
                    .withRenewDeadline(config.renewDeadline())
                    .withRetryPeriod(config.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(new LeaderCallbacks(
                            () -> started(this), () -> lost(this, ElectionMetrics.LEASE_LOST), this::newLeader))
                    .build(), electorThread);
        }

        private void newLeader(String holder) {
            if (!ended) {
                metrics.leaderChanged();
                LOG.info("cluster collector Lease {}/{} is now held by {}", config.namespace(), config.leaseName(),
                        holder == null || holder.isEmpty() ? "nobody" : holder);
            }
        }
    }

    public LeaderElection(KubernetesClient client, ClusterConfig config, Supplier<Optional<String>> checkpoint,
            Listener listener, MeterRegistry registry) {
        this.client = client;
        this.config = config;
        this.checkpoint = checkpoint;
        this.listener = listener;
        this.metrics = new ElectionMetrics(registry, this::leading);
        this.electorThread = Executors.newSingleThreadExecutor(daemon("vedetta-leader-election"));
        this.listenerThread = Executors.newSingleThreadExecutor(daemon("vedetta-cluster-leadership"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("vedetta-leader-watchdog"));
        this.renewDeadlineNanos = config.renewDeadline().toNanos();
    }

    public synchronized void start() {
        LOG.info("competing for the cluster collector Lease {}/{} as {} (lease {}s, renew deadline {} ms, retry {} ms)",
                config.namespace(), config.leaseName(), config.identity(), config.leaseDuration().toSeconds(),
                config.renewDeadline().toMillis(), config.retryPeriod().toMillis());
        long period = Math.max(20, Math.min(250, config.retryPeriod().toMillis() / 4));
        watchdog = timer.scheduleWithFixedDelay(this::checkRenewal, period, period, TimeUnit.MILLISECONDS);
        runElector();
    }

    /** True while this agent leads; false the moment it stops, before its watches are stopped. */
    public boolean leading() {
        return leading;
    }

    private synchronized void runElector() {
        if (stopped) {
            return;
        }
        Run run = new Run();
        current = run;
        run.future = run.elector.start();
        run.future.whenComplete((ok, failure) -> {
            if (failure != null && !(failure instanceof java.util.concurrent.CancellationException)) {
                LOG.warn("leader election run ended with {}", failure.toString());
            }
            ended(run);
        });
    }

    /** Schedules a try at the moment another holder's Lease expires (see the class comment). */
    private synchronized void observed(Run run, LeaderElectionRecord record) {
        String holder = record.getHolderIdentity();
        if (run != current || run.ended || run.leading || stopped || holder == null || holder.isEmpty()
                || holder.equals(config.identity())) {
            return;
        }
        Instant expiry = record.getRenewTime().toInstant().plus(record.getLeaseDuration());
        long spread = ThreadLocalRandom.current().nextLong(Math.max(1, config.retryPeriod().toMillis() / 2));
        long delay = Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + spread;
        if (takeover != null) {
            takeover.cancel(false);
        }
        takeover = timer.schedule(() -> takeOver(run), delay, TimeUnit.MILLISECONDS);
    }

    /** A fresh run tries to acquire at once; the old one was only waiting for its next jittered try. */
    private synchronized void takeOver(Run run) {
        if (run == current && !run.ended && !run.leading && !stopped) {
            end(run);
            runElector();
        }
    }

    private synchronized void started(Run run) {
        if (run != current || run.ended || stopped) {
            return;
        }
        run.leading = true;
        run.led = true;
        leading = true;
        Optional<String> carried = run.lock.observedCheckpoint();
        LOG.info("this agent ({}) now leads the cluster collector", config.identity());
        listenerThread.execute(() -> listener.startLeading(carried));
    }

    private void checkRenewal() {
        Run run;
        synchronized (this) {
            run = current;
        }
        if (run != null && run.leading && System.nanoTime() - run.lastRenewNanos > renewDeadlineNanos) {
            lost(run, ElectionMetrics.RENEW_DEADLINE);
        }
    }

    /** Steps down from {@code run}'s leadership (if it led) and ends the run; a new run competes again. */
    private synchronized void lost(Run run, String reason) {
        if (run != current || run.ended) {
            return;
        }
        stepDown(run, reason);
        end(run);
        if (!stopped) {
            timer.schedule(this::runElector, config.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void stepDown(Run run, String reason) {
        if (!run.leading) {
            return;
        }
        run.leading = false;
        leading = false;
        metrics.lost(reason).increment();
        LOG.warn("this agent ({}) stopped leading the cluster collector: {}", config.identity(), switch (reason) {
            case ElectionMetrics.RENEW_DEADLINE -> "the Lease was not renewed within " + config.renewDeadline().toMillis()
                    + " ms";
            case ElectionMetrics.LEASE_LOST -> "the Lease was lost";
            default -> "the agent is stopping";
        });
        listenerThread.execute(() -> listener.stopLeading(reason));
    }

    /**
     * Retires the run's lock, so nothing the run still has in flight can act for a later run, and cancels it on
     * another thread: cancelling waits for a renewal that may hang until its request times out.
     */
    private void end(Run run) {
        run.ended = true;
        run.lock.retire();
        Thread canceller = new Thread(() -> run.future.cancel(true), "vedetta-leader-election-end");
        canceller.setDaemon(true);
        canceller.start();
    }

    private synchronized void ended(Run run) {
        if (run == current && !run.ended) {
            lost(run, ElectionMetrics.LEASE_LOST);
        }
    }

    /**
     * Stops competing. A leader first stops what it leads (its events' last acknowledgements land within half the
     * grace), then releases the Lease with the final checkpoint, so a follower takes over at its next try instead of
     * after the lease duration.
     */
    public void stop(Duration grace) {
        Run run;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            run = current;
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (run != null) {
                stepDown(run, ElectionMetrics.STOPPED);
                run.ended = true;
            }
        }
        listenerThread.shutdown();
        try {
            listenerThread.awaitTermination(Math.max(1, grace.toMillis() / 2), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (run != null && run.future != null) {
            // Not retired: the cancellation releases the Lease through this lock.
            CompletableFuture<Void> cancelled = CompletableFuture.runAsync(() -> run.future.cancel(true));
            try {
                cancelled.get(Math.max(1, grace.toMillis() / 2), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("releasing the cluster collector Lease took longer than {} ms; followers take over when it"
                        + " expires", grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("releasing the cluster collector Lease failed: {}", e.getCause().toString());
            }
            run.lock.retire();
        }
        timer.shutdownNow();
        electorThread.shutdownNow();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, Objects.requireNonNull(name));
            t.setDaemon(true);
            return t;
        };
    }
}

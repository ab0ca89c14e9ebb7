package io.vedetta.agent.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Store;
import io.vedetta.time.Backoff;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one fabric8 informer alive whatever the API server does. fabric8 relists by itself after a 410 Gone and
 * reconnects dropped watches; any failure it gives up on (the first list, a relist, a watch closed with an
 * error) stops that informer, is counted and logged once, and a fresh informer is started after an exponential
 * backoff from {@code retryInitial} to {@code retryMax} (with jitter, so the agents of a cluster do not all come
 * back at the same instant). Never blocks the caller and never throws out of {@link #start()}.
 */
public final class SupervisedInformer<T extends HasMetadata> {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisedInformer.class);

    private final String what;
    private final String apiServer;
    private final Supplier<SharedIndexInformer<T>> informers;
    private final ResourceEventHandler<T> handler;
    private final Consumer<Store<T>> onSynced;
    private final Backoff backoff;
    private final ScheduledExecutorService executor;
    private final WatchErrors errors;

    private volatile SharedIndexInformer<T> current;
    private volatile boolean synced;
    private volatile boolean everSynced;
    private volatile boolean stopped;
    private volatile String lastFailure;
    /** Consecutive failures; touched only on the executor thread. */
    private int failures;

    /**
     * @param what       how logs and the readiness report name it, e.g. "pod informer"
     * @param handler    told of every change; null when the informer's store is all its user reads
     * @param onSynced   called with the store of listed objects each time an informer has listed and is watching
     */
    public SupervisedInformer(String what, String apiServer, Supplier<SharedIndexInformer<T>> informers,
            ResourceEventHandler<T> handler, Consumer<Store<T>> onSynced, Duration retryInitial, Duration retryMax,
            ScheduledExecutorService executor, WatchErrors errors) {
        this.what = what;
        this.apiServer = apiServer;
        this.informers = informers;
        this.handler = handler;
        this.onSynced = onSynced;
        this.backoff = Backoff.jittered(retryInitial, retryMax);
        this.executor = executor;
        this.errors = errors;
    }

    public void start() {
        executor.execute(this::connect);
    }

    public void stop() {
        stopped = true;
        synced = false;
        SharedIndexInformer<T> informer = current;
        if (informer != null) {
            informer.stop();
        }
    }

    /** True while the current informer has listed and watches. */
    public boolean synced() {
        return synced;
    }

    /**
     * Empty once an informer has synced: afterwards the cache keeps serving (and the failures show in
     * {@code vedetta_kube_synced} and the error counter) rather than flapping the agent's readiness.
     */
    public Optional<String> notReadyReason() {
        if (everSynced) {
            return Optional.empty();
        }
        String failure = lastFailure;
        return Optional.of(what + " has not synced" + (failure == null ? " yet (" + apiServer + ")" : ": " + failure));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        SharedIndexInformer<T> informer = null;
        try {
            informer = informers.get();
            SharedIndexInformer<T> started = informer;
            // Every failure fabric8 reports stops this informer; this class decides when to try again.
            informer.exceptionHandler((isStarted, failure) -> false);
            if (handler != null) {
                informer.addEventHandler(handler);
            }
            current = informer;
            informer.start().whenComplete((ignored, failure) -> {
                if (failure == null) {
                    executor.execute(() -> onStarted(started));
                }
            });
            informer.stopped().whenComplete((ignored, failure) -> {
                if (failure != null) {
                    executor.execute(() -> onFailed(started, failure));
                }
            });
        } catch (RuntimeException e) {
            current = informer;
            onFailed(informer, e);
        }
    }

    private void onStarted(SharedIndexInformer<T> informer) {
        if (informer != current || stopped) {
            return;
        }
        Store<T> listed = informer.getStore();
        onSynced.accept(listed);
        failures = 0;
        lastFailure = null;
        synced = true;
        everSynced = true;
        LOG.info("{} synced with {} ({} objects)", what, apiServer, listed.listKeys().size());
    }

    private void onFailed(SharedIndexInformer<T> informer, Throwable failure) {
        if (informer != current || stopped) {
            return;
        }
        synced = false;
        if (informer != null) {
            informer.stop();
        }
        lastFailure = WatchErrors.describe(failure) + " (" + apiServer + ")";
        String reason = errors.count(failure);
        failures++;
        Duration delay = Duration.ofMillis(backoff.delayMillis(failures - 1));
        LOG.warn("{} failed [{}], retrying in {} ms: {}", what, reason, delay.toMillis(), lastFailure);
        executor.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}

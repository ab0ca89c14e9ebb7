package io.vedetta.agent.scrape;

import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.agent.metrics.ServedRegistry;
import io.vedetta.agent.config.ScrapeConfig;
import io.vedetta.agent.kube.PodState;
import io.vedetta.agent.lifecycle.Part;
import io.vedetta.agent.relabel.RelabelRule;
import io.vedetta.agent.relabel.Relabeling;
import io.vedetta.agent.remotewrite.Wal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scrape part: keeps one {@link ScrapeLoop} per target, the pod targets read from the pod cache every second (no
 * watch of its own), and the agent itself. Each loop fires every interval at an offset of its own within it (a hash
 * of the target), so a node's scrapes spread over the interval instead of firing at once, as Prometheus spreads them;
 * scrapes run on a small pool, one at a time per target. A target that goes away is stopped, which writes its
 * staleness markers at once.
 */
public final class ScrapeManager implements Part {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeManager.class);
    private static final int SCRAPE_THREADS = 16;

    /** The agent's own target: its registry and the labels its series get ({@code job}, {@code instance}, ...). */
    public record Self(ServedRegistry registry, Map<String, String> labels, Optional<String> namespace,
            Optional<String> pod) {
    }

    private record Running(ScrapeLoop loop, ScheduledFuture<?> schedule, AtomicBoolean busy) {
    }

    private final ScrapeConfig config;
    private final Supplier<List<PodState>> pods;
    private final String nodeName;
    private final Supplier<Wal> wal;
    private final Supplier<Self> self;
    private final String userAgent;
    private final Clock clock;
    private final ScrapeMetrics metrics;
    private final PodTargets podTargets;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> reported = new HashMap<>();
    /**
     * Each target's key, by the target instance {@link PodTargets} keeps while its pod does not change: making the
     * key (the URL and every label in one string) three times per target every second cost 4% of the agent's CPU in
     * {@code scripts/bench remote-write}.
     */
    private Map<ScrapeTarget, String> keys = new IdentityHashMap<>();
    private ScheduledExecutorService scheduler;
    private ThreadPoolExecutor workers;
    private SSLSocketFactory tls;
    private SelfExposition selfExposition;

    /**
     * {@code pods} is null without pod discovery (standalone): only the agent itself is scraped then; {@code self} is
     * null when the agent's own series are not to be scraped (asked at start, once the agent's port is known).
     */
    public ScrapeManager(ScrapeConfig config, Supplier<List<PodState>> pods, String nodeName, Supplier<Wal> wal,
            Supplier<Self> self, MeterRegistry registry, String userAgent, Clock clock) {
        this.config = config;
        this.pods = pods;
        this.nodeName = nodeName;
        this.wal = wal;
        this.self = self;
        this.userAgent = userAgent;
        this.clock = clock;
        this.metrics = new ScrapeMetrics(registry);
        this.podTargets = new PodTargets(config, nodeName, this::report);
    }

    @Override
    public String name() {
        return "scrape";
    }

    @Override
    public void start() {
        tls = TargetTls.socketFactory(config, metrics.caRereads());
        AtomicInteger number = new AtomicInteger();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "vedetta-scrape-scheduler"));
        workers = new ThreadPoolExecutor(SCRAPE_THREADS, SCRAPE_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "vedetta-scrape-" + number.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true);
        if (self != null) {
            startSelf(self.get());
        }
        if (pods != null) {
            scheduler.scheduleWithFixedDelay(this::sync, 0, 1, TimeUnit.SECONDS);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The agent itself, with the labels the chart's ServiceMonitor gives it, node_* with the agent's pod. */
    private void startSelf(Self s) {
        List<RelabelRule> rules = new ArrayList<>();
        s.namespace().ifPresent(ns -> rules.add(nodeSeriesLabel("namespace", ns)));
        s.pod().ifPresent(pod -> rules.add(nodeSeriesLabel("pod", pod)));
        rules.addAll(config.metricRelabelConfigs().rules());
        ScrapeLoop.Settings settings = new ScrapeLoop.Settings(0, 0, 0, true, true, new Relabeling(rules));
        ScrapeTarget target = new ScrapeTarget(URI.create("internal:/metrics"), s.labels(), config.interval(),
                config.interval(), "");
        selfExposition = new SelfExposition(s.registry());
        start(new ScrapeLoop(target, selfExposition, settings, wal.get(), metrics, clock));
        LOG.info("the agent's own series are scraped every {}s into the write-ahead log as {}",
                config.interval().toSeconds(), s.labels());
    }

    private static RelabelRule nodeSeriesLabel(String label, String value) {
        return RelabelRule.of(new RelabelRule.Written(List.of("__name__"), null, "node_.+", null, label,
                value.replace("$", "$$"), "replace"));
    }

    /** Brings the running pod targets in line with the pod cache. */
    private void sync() {
        try {
            List<PodState> current = pods.get();
            Map<String, ScrapeTarget> wanted = new HashMap<>();
            Map<ScrapeTarget, String> nextKeys = new IdentityHashMap<>();
            for (ScrapeTarget t : podTargets.of(current)) {
                String key = keys.get(t);
                if (key == null) {
                    key = t.key();
                }
                nextKeys.put(t, key);
                wanted.putIfAbsent(key, t);
            }
            keys = nextKeys;
            for (Map.Entry<String, Running> e : running.entrySet()) {
                if (!e.getValue().loop().target().podUid().isEmpty() && !wanted.containsKey(e.getKey())) {
                    stop(e.getKey());
                }
            }
            for (Map.Entry<String, ScrapeTarget> e : wanted.entrySet()) {
                if (!running.containsKey(e.getKey())) {
                    ScrapeTarget t = e.getValue();
                    HttpExposition http = new HttpExposition(t, tls, config.protocols(), userAgent, scheduler);
                    start(new ScrapeLoop(t, http, settings(), wal.get(), metrics, clock));
                    LOG.info("scraping {} every {}s", t.describe(), t.interval().toSeconds());
                }
            }
            Set<String> uids = new HashSet<>();
            current.forEach(p -> uids.add(p.uid()));
            synchronized (reported) {
                reported.keySet().retainAll(uids);
            }
        } catch (RuntimeException e) {
            LOG.error("updating the scrape targets failed", e);
        }
    }

    private ScrapeLoop.Settings settings() {
        return new ScrapeLoop.Settings(config.sampleLimit(), config.labelLimit(), config.bodySizeLimit(),
                config.honorLabels(), config.honorTimestamps(), config.metricRelabelConfigs());
    }

    private void start(ScrapeLoop loop) {
        ScrapeTarget t = loop.target();
        long interval = t.interval().toMillis();
        long delay = Math.floorMod(offset(t.key(), nodeName, interval) - clock.millis(), interval);
        AtomicBoolean busy = new AtomicBoolean();
        ScheduledFuture<?> schedule = scheduler.scheduleAtFixedRate(() -> {
            if (busy.compareAndSet(false, true)) {
                workers.execute(() -> {
                    try {
                        loop.scrape();
                    } catch (RuntimeException e) {
                        LOG.error("scrape of {} failed unexpectedly", t.describe(), e);
                    } finally {
                        busy.set(false);
                    }
                });
            }
        }, delay, interval, TimeUnit.MILLISECONDS);
        running.put(t.key(), new Running(loop, schedule, busy));
        metrics.targets.set(running.size());
    }

    /**
     * Where in its interval (milliseconds after each multiple of it) a target is scraped: a hash of the target and of
     * this node, so a node's targets spread out, nodes too, and a target keeps its offset across restarts.
     */
    static long offset(String targetKey, String nodeName, long interval) {
        long h = (targetKey + "\0" + nodeName).hashCode() * 0x9E3779B97F4A7C15L;
        return Math.floorMod(h ^ (h >>> 29), interval);
    }

    private void stop(String key) {
        Running r = running.remove(key);
        if (r != null) {
            r.schedule().cancel(false);
            workers.execute(r.loop()::stop);
            LOG.info("stopped scraping {}: the target is gone; its series end now", r.loop().target().describe());
            metrics.targets.set(running.size());
        }
    }

    private void report(PodState pod, String problem) {
        synchronized (reported) {
            if (reported.computeIfAbsent(pod.uid(), k -> new HashSet<>()).add(problem)) {
                metrics.annotationProblem(pod.namespace() + "/" + pod.name(), problem);
            }
        }
    }

    @Override
    public void stop(Duration grace) {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        if (selfExposition != null) {
            selfExposition.close();
        }
    }
}

package io.vedetta.agent;

import io.micrometer.core.instrument.Gauge;
import io.vedetta.agent.cluster.ClusterCollector;
import io.vedetta.agent.cluster.events.EventDocument;
import io.vedetta.agent.cluster.events.EventsIndex;
import io.vedetta.agent.config.AgentConfig;
import io.vedetta.agent.config.MetricsConfig;
import io.vedetta.agent.http.HttpEndpoints;
import io.vedetta.agent.kube.KubeClients;
import io.vedetta.agent.kube.PodCache;
import io.vedetta.agent.kube.PodState;
import io.vedetta.agent.logs.LogShipping;
import io.vedetta.agent.kube.PodDiscovery;
import io.vedetta.agent.kube.PodStateCollector;
import io.vedetta.agent.kube.StandalonePodMetadata;
import io.vedetta.agent.lifecycle.Part;
import io.vedetta.agent.logs.LogShipping;
import io.vedetta.agent.metrics.HostPaths;
import io.vedetta.agent.metrics.MetricSource;
import io.vedetta.agent.metrics.MetricsErrors;
import io.vedetta.agent.metrics.Registries;
import io.vedetta.agent.metrics.SelfMetrics;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.agent.metrics.SourceCollector;
import io.vedetta.agent.metrics.cgroup.CgroupSource;
import io.vedetta.agent.metrics.cgroup.FileCgroupReader;
import io.vedetta.agent.metrics.kubelet.HttpsKubeletClient;
import io.vedetta.agent.metrics.kubelet.KubeletSources;
import io.vedetta.agent.metrics.node.FilesystemStats;
import io.vedetta.agent.metrics.node.KernelClock;
import io.vedetta.agent.metrics.node.NodeSource;
import io.vedetta.agent.remotewrite.RemoteWrite;
import io.vedetta.agent.scrape.ScrapeManager;
import io.vedetta.logs.sink.elasticsearch.ElasticsearchSinkConfig;
import io.vedetta.pods.PodMetadata;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembly: builds each part from the config, starts them in order (HTTP first, so health and
 * readiness answer from the first second), and stops them in reverse within the shutdown grace.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final Registries registries;
    private final SelfMetrics selfMetrics;
    private final List<Part> parts = new ArrayList<>();
    private final Set<Part> started = ConcurrentHashMap.newKeySet();
    private final HttpEndpoints http;
    private final PodMetadata podMetadata;
    private ClusterCollector cluster;

    public Agent(AgentConfig config) {
        this.config = config;
        this.registries = new Registries();
        this.selfMetrics = new SelfMetrics(registries.micrometer(), Version.get(), config.metrics().jvm());
        this.http = new HttpEndpoints(config.http(), registries.prometheus(), registries.micrometer(),
                this::notReadyReasons);
        parts.add(http);
        this.podMetadata = podDiscovery(config);
        parts.add(metricSources(config.metrics(), podMetadata));
        boolean events = config.cluster().enabled() && config.cluster().events().enabled();
        LogShipping logShipping = null;
        if (config.logs().enabled() || events) {
            logShipping = new LogShipping(config.logs(), elasticsearch(config), podMetadata,
                    registries.micrometer());
            parts.add(logShipping);
        }
        if (config.cluster().enabled()) {
            // After the log sink: stopped before it, so the events' last acknowledgements still land.
            cluster = new ClusterCollector(config.kubernetes(), config.cluster(), registries,
                    events ? logShipping.sharedSink() : null, userAgent(config));
            parts.add(cluster);
        }
        if (config.remoteWrite().enabled()) {
            remoteWriteAndScrape(config);
        }
        Gauge.builder("vedetta.ready", () -> notReadyReasons().isEmpty() ? 1 : 0)
                .description("1 when every enabled part has started and is ready (what /readyz answers)")
                .register(registries.micrometer());
    }

    /**
     * One node-scoped informer feeding the cache that logs and metrics read; in standalone mode the
     * pod, namespace and container come from the log file names instead.
     */
    private PodMetadata podDiscovery(AgentConfig config) {
        var kube = config.kubernetes();
        if (!kube.enabled()) {
            // Standalone names come from the kubelet's /var/log/containers layout: the first glob's directory.
            Path dir = Path.of(config.logs().pipeline().tail().paths().get(0)).getParent();
            return new StandalonePodMetadata(dir == null ? Path.of("/var/log/containers") : dir, kube.nodeName());
        }
        PodCache cache = new PodCache(kube.deletionGrace(), Clock.systemUTC());
        PodDiscovery discovery = new PodDiscovery(kube, KubeClients.reconfigured(PodDiscovery.createClient(kube),
                b -> b.withUserAgent(userAgent(config))), cache, registries);
        parts.add(discovery);
        if (config.metrics().podState()) {
            registries.prometheus().register(new PodStateCollector(cache, discovery::synced, this::unscheduledPods));
        }
        return cache;
    }

    /**
     * The write-ahead log and its endpoints, then the scrapes that fill it: annotated pods (from the pod cache) and the
     * agent's own series. Started in that order, so they stop the other way round.
     */
    private void remoteWriteAndScrape(AgentConfig config) {
        String userAgent = "Vedetta/" + Version.get();
        RemoteWrite remoteWrite = new RemoteWrite(config.remoteWrite(), registries.micrometer(), userAgent,
                Clock.systemUTC());
        parts.add(remoteWrite);
        var scrape = config.scrape();
        if (!scrape.enabled() && !scrape.self()) {
            return;
        }
        PodCache cache = podMetadata instanceof PodCache c && scrape.enabled() ? c : null;
        parts.add(new ScrapeManager(scrape, cache == null ? null : cache::livePods, config.kubernetes().nodeName(),
                remoteWrite::wal, scrape.self() ? this::selfTarget : null, registries.micrometer(), userAgent,
                Clock.systemUTC()));
    }

    /** The agent as a target, labelled as the chart's ServiceMonitor labels it: job, instance, node. */
    private ScrapeManager.Self selfTarget() {
        Map<String, String> env = System.getenv();
        String node = config.kubernetes().nodeName();
        String host = env.getOrDefault("POD_IP", node.isEmpty() ? "localhost" : node);
        Map<String, String> labels = new TreeMap<>();
        labels.put("job", "vedetta");
        labels.put("instance", (host.contains(":") ? "[" + host + "]" : host) + ":" + http.port());
        if (!node.isEmpty()) {
            labels.put("node", node);
        }
        return new ScrapeManager.Self(registries.prometheus(), labels,
                Optional.ofNullable(env.get("POD_NAMESPACE")).filter(s -> !s.isBlank()),
                Optional.ofNullable(env.get("POD_NAME")).filter(s -> !s.isBlank()));
    }

    /** Every API client of this agent names it by its node, so the API server's audit log tells the agents apart. */
    private static String userAgent(AgentConfig config) {
        return KubeClients.userAgent(Version.get(), config.kubernetes().nodeName());
    }

    /** The pods of no node, which only the elected cluster collector watches. */
    private Collection<PodState> unscheduledPods() {
        ClusterCollector collector = cluster;
        return collector == null ? List.of() : collector.unscheduledPods();
    }

    /**
     * The log sink's Elasticsearch settings, with the events' own targets when the cluster's events are shipped: what
     * the agent writes into, and so what {@code --bootstrap-elasticsearch} installs the templates of.
     */
    static ElasticsearchSinkConfig elasticsearch(AgentConfig config) {
        ElasticsearchSinkConfig sink = config.elasticsearch();
        boolean events = config.cluster().enabled() && config.cluster().events().enabled();
        return events ? sink.withRoutes(sink.routes().withStream(EventDocument.STREAM,
                EventsIndex.stream(config.cluster().events()))) : sink;
    }

    /** Kubelet endpoints, /proc and cgroups, collected at scrape time behind one timeout-guarding collector. */
    private SourceCollector metricSources(MetricsConfig metrics, PodMetadata pods) {
        MetricsErrors errors = new MetricsErrors(registries.micrometer());
        List<MetricSource> sources = new ArrayList<>();
        if (metrics.kubelet().enabled()) {
            if (metrics.kubelet().throughApiServerProxy()) {
                LOG.warn("the kubelet is reached through the API server's node proxy ({}): that takes the"
                        + " nodes/proxy permission, which also lets whoever holds this service account's token open"
                        + " exec and attach sessions into the pods of every node; prefer metrics.kubelet.via: direct"
                        + " (nodes/metrics and nodes/stats only) wherever the kubelet port is reachable",
                        metrics.kubelet().baseUrl());
            }
            sources.addAll(KubeletSources.create(metrics.kubelet(),
                    HttpsKubeletClient.create(metrics.kubelet(), metrics.sources().timeout(), errors), errors));
        }
        HostPaths host = HostPaths.under(metrics.hostRoot());
        if (metrics.node()) {
            sources.add(new NodeSource(host, FilesystemStats.forThisPlatform(), KernelClock.forThisPlatform(),
                    registries.micrometer()));
        }
        if (metrics.cgroup().enabled()) {
            sources.add(new CgroupSource(FileCgroupReader.open(metrics.cgroup().root().orElse(host.cgroup())), pods,
                    registries.micrometer()));
        }
        return new SourceCollector(sources, metrics.sources(), new SeriesFilter(metrics.filter(), pods), registries,
                errors);
    }

    public void start() throws Exception {
        LOG.atInfo().addKeyValue("version", Version.get()).log("starting Vedetta agent");
        for (Part part : parts) {
            long begin = System.nanoTime();
            try {
                part.start();
            } catch (Exception e) {
                LOG.atError().addKeyValue("part", part.name()).setCause(e).log("part failed to start");
                stop();
                throw e;
            }
            started.add(part);
            LOG.atInfo().addKeyValue("part", part.name())
                    .addKeyValue("millis", (System.nanoTime() - begin) / 1_000_000)
                    .log("started " + part.name());
        }
        LOG.atInfo().addKeyValue("port", http.port()).log("agent started");
    }

    /** Why the agent is not ready, one reason per part; empty when ready. */
    public List<String> notReadyReasons() {
        List<String> reasons = new ArrayList<>();
        for (Part part : parts) {
            if (!started.contains(part)) {
                reasons.add(part.name() + ": not started");
            } else {
                Optional<String> reason = part.notReadyReason();
                reason.ifPresent(r -> reasons.add(part.name() + ": " + r));
            }
        }
        return reasons;
    }

    public PodMetadata podMetadata() {
        return podMetadata;
    }

    public Registries registries() {
        return registries;
    }

    public int httpPort() {
        return http.port();
    }

    /** Stops started parts in reverse order; each gets what is left of the shutdown grace. */
    public synchronized void stop() {
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        List<Part> reversed = new ArrayList<>(parts);
        Collections.reverse(reversed);
        for (Part part : reversed) {
            if (!started.remove(part)) {
                continue;
            }
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            LOG.atInfo().addKeyValue("part", part.name()).addKeyValue("graceMillis", left.toMillis())
                    .log("stopping " + part.name());
            part.stop(left);
        }
        selfMetrics.close();
    }

    @Override
    public void close() {
        stop();
    }
}

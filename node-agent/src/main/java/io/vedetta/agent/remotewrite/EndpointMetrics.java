package io.vedetta.agent.remotewrite;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vedetta.secrets.LoggedRereads;
import io.vedetta.secrets.Rereads;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's series under Prometheus' remote-storage names and labels ({@code remote_name}, {@code url}), so
 * remote-write dashboards and the {@code PrometheusRemoteWrite*} alerts of prometheus-mixin read them, plus what the
 * write-ahead log adds (its backlog in bytes, what its limits dropped).
 */
final class EndpointMetrics {

    private final MeterRegistry registry;
    private final Tags tags;
    final Counter samples;
    final Counter failed;
    final Counter retried;
    final Counter dropped;
    final Counter bytes;
    final Timer sentBatch;
    final AtomicLong highestSentMillis = new AtomicLong();
    final AtomicLong pending = new AtomicLong();
    final AtomicLong shards = new AtomicLong();
    final AtomicLong desiredShards = new AtomicLong();

    EndpointMetrics(MeterRegistry registry, String name, String url, int minShards, int maxShards, int capacity,
            int maxSamplesPerSend) {
        this.registry = registry;
        this.tags = Tags.of("remote_name", name, "url", url);
        samples = counter("prometheus.remote.storage.samples", "Samples the endpoint acknowledged");
        failed = counter("prometheus.remote.storage.samples.failed",
                "Samples the endpoint refused for good (a 4xx other than 429); not sent again");
        retried = counter("prometheus.remote.storage.samples.retried",
                "Samples sent again after a 5xx, a 429 or a connection failure");
        dropped = counter("prometheus.remote.storage.samples.dropped",
                "Samples write relabelling dropped for this endpoint");
        bytes = Counter.builder("prometheus.remote.storage.bytes").description(
                "Compressed bytes of the requests the endpoint acknowledged").tags(tags).register(registry);
        sentBatch = Timer.builder("prometheus.remote.storage.sent.batch.duration")
                .description("How long sending a batch took, retries included").tags(tags)
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1),
                        Duration.ofMillis(2500), Duration.ofSeconds(10), Duration.ofSeconds(25), Duration.ofSeconds(60))
                .register(registry);
        gauge("prometheus.remote.storage.queue.highest.sent.timestamp", "seconds",
                "The newest sample timestamp the endpoint acknowledged", () -> highestSentMillis.get() / 1000.0);
        gauge("prometheus.remote.storage.samples.pending", null,
                "Samples read from the write-ahead log and not yet acknowledged", pending::get);
        gauge("prometheus.remote.storage.shards", null, "Shards sending in parallel", shards::get);
        gauge("prometheus.remote.storage.shards.desired", null,
                "Shards the sending rate and the backlog call for, before the min and max", desiredShards::get);
        gauge("prometheus.remote.storage.shards.min", null, "remoteWrite.endpoints[].queue.minShards",
                () -> minShards);
        gauge("prometheus.remote.storage.shards.max", null, "remoteWrite.endpoints[].queue.maxShards",
                () -> maxShards);
        gauge("prometheus.remote.storage.shard.capacity", null, "remoteWrite.endpoints[].queue.capacity",
                () -> capacity);
        gauge("prometheus.remote.storage.max.samples.per.send", null,
                "remoteWrite.endpoints[].queue.maxSamplesPerSend", () -> maxSamplesPerSend);
    }

    /** The endpoint's backlog in the write-ahead log, and what the log's limits dropped before it was sent. */
    void bindBacklog(Supplier<Number> backlogBytes) {
        gauge("vedetta.remote.write.backlog", "bytes",
                "Bytes of the write-ahead log the endpoint has yet to acknowledge", backlogBytes);
        lost("size");
        lost("age");
    }

    Counter lost(String reason) {
        return Counter.builder("vedetta.wal.samples.dropped")
                .description("Samples the write-ahead log dropped before the endpoint read them: size"
                        + " (remoteWrite.walMaxBytes) or age (remoteWrite.walMaxAge)")
                .tags(tags).tag("reason", reason).register(registry);
    }

    /**
     * What re-reading endpoint {@code endpoint}'s credential and CA files found, counted by result: {@code changed} (a
     * rotation picked up) or {@code failed} (the last content kept, logged once per file until it reads again).
     */
    Rereads secretRereads(String endpoint) {
        Counter changed = secretRereadCounter("changed");
        Counter failed = secretRereadCounter("failed");
        return new LoggedRereads(LoggerFactory.getLogger(RemoteWrite.class), " of remote_write endpoint " + endpoint,
                "requests use the new content from now on", setting -> changed.increment(),
                setting -> failed.increment());
    }

    private Counter secretRereadCounter(String result) {
        return Counter.builder("vedetta.remote.write.secret.rereads")
                .description("Credential and CA files of the endpoint read again: changed (a rotation picked up) or"
                        + " failed (the last content read is still used)")
                .tags(tags).tag("result", result).register(registry);
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).description(help).tags(tags).register(registry);
    }

    private void gauge(String name, String unit, String help, Supplier<Number> value) {
        Gauge.Builder<Supplier<Number>> b = Gauge.builder(name, value).description(help).tags(tags);
        if (unit != null) {
            b.baseUnit(unit);
        }
        b.register(registry);
    }
}

package io.vedetta.agent.remotewrite;

import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.agent.config.RemoteWriteConfig;
import io.vedetta.agent.config.RemoteWriteConfig.Endpoint;
import io.vedetta.agent.lifecycle.Part;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote_write part: opens the write-ahead log (recovering what the last run left), starts one
 * {@link QueueManager} per endpoint, and keeps the log within its limits. Scrapes append through {@link #wal()}. It
 * starts before the scrapes and stops after them, so their last samples are in the log before the endpoints flush.
 */
public final class RemoteWrite implements Part {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWrite.class);
    private static final Duration MAINTENANCE = Duration.ofSeconds(5);

    private final RemoteWriteConfig config;
    private final MeterRegistry registry;
    private final String userAgent;
    private final Clock clock;
    private final List<QueueManager> queues = new ArrayList<>();
    private Wal wal;
    private ScheduledExecutorService maintenance;

    public RemoteWrite(RemoteWriteConfig config, MeterRegistry registry, String userAgent, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.userAgent = userAgent;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "remote-write";
    }

    @Override
    public void start() throws IOException {
        wal = Wal.open(config.walDir(), config.walMaxBytes(), config.walMaxAge(), clock,
                new WalMetrics(registry, config.walMaxBytes()));
        Path ackDir = config.walDir();
        Set<String> ackFiles = new HashSet<>();
        List<Endpoint> endpoints = config.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint e = endpoints.get(i);
            EndpointMetrics metrics = new EndpointMetrics(registry, e.name(), e.url().toString(),
                    e.queue().minShards(), e.queue().maxShards(), e.queue().capacity(), e.queue().maxSamplesPerSend());
            QueueManager queue = new QueueManager(e, wal, config.externalLabels(), i, endpoints.size(),
                    new RemoteWriteClient(e, userAgent, clock, metrics.secretRereads(e.name())), metrics, ackDir);
            ackFiles.add(QueueManager.ackFileName(e));
            queue.start();
            queues.add(queue);
            LOG.info("remote_write to {} ({}) with {} shards", e.name(), e.url(), queue.shardCount());
        }
        removeOtherAckLogs(ackDir, ackFiles);
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vedetta-wal-maintenance");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleWithFixedDelay(this::maintain, MAINTENANCE.toMillis(), MAINTENANCE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Acknowledgement logs of endpoints no longer configured would only confuse a later one of the same name. */
    private static void removeOtherAckLogs(Path dir, Set<String> kept) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "acks-*")) {
            for (Path f : files) {
                if (!kept.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private void maintain() {
        try {
            wal.maintain();
        } catch (RuntimeException e) {
            LOG.error("maintaining the write-ahead log failed", e);
        }
    }

    /** The log scrapes append to; open once started. */
    public Wal wal() {
        return wal;
    }

    @Override
    public Optional<String> notReadyReason() {
        return Optional.empty();
    }

    @Override
    public void stop(Duration grace) {
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        long hardStop = System.nanoTime() + grace.toNanos();
        for (QueueManager queue : queues) {
            queue.stop(hardStop);
        }
        if (wal != null) {
            wal.close();
        }
    }
}

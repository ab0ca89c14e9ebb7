package io.vedetta.logs.pipeline;

import io.micrometer.core.instrument.Counter;
import io.vedetta.logs.enrich.ContainerRef;
import io.vedetta.logs.enrich.Enricher;
import io.vedetta.logs.enrich.FileEnricher;
import io.vedetta.logs.parse.FileLogParser;
import io.vedetta.logs.parse.LogEvent;
import io.vedetta.logs.parse.LogParsers;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.tail.RawLine;
import io.vedetta.pods.ContainerLogFileName;
import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The parse and enrich state of one tailed file, used by the pipeline's single processing thread.
 * A new file whose pod is not in the cache yet is held (its lines kept, bounded in time and bytes) so
 * that the first lines of a fresh pod are enriched too; after the wait it ships un-enriched.
 */
final class FileStage {

    static final String EXCLUDE = "vedetta.io/exclude";
    static final String EXCLUDE_CONTAINERS = "vedetta.io/exclude-containers";

    /** Bytes of lines a held file may keep before it stops waiting for its pod. */
    static final long MAX_HELD_BYTES = 8L << 20;

    private final String path;
    private final ContainerRef source;
    private final PodMetadata pods;
    private final Enricher enricher;
    private final LogParsers parsers;
    private final Consumer<SinkRecord> out;
    private final PipelineMetrics metrics;
    private final RawLineAcks acks;
    private final ArrayDeque<RawLine> held = new ArrayDeque<>();
    private long heldBytes;
    private long holdUntil;
    private FileEnricher fileEnricher;
    private FileLogParser parser;
    private boolean excluded;
    private final Counter linesRead;
    private final Counter bytesRead;
    private long lastLine;

    FileStage(RawLine first, PodMetadata pods, Enricher enricher, LogParsers parsers, PipelineConfig config,
            long now, Consumer<SinkRecord> out, PipelineMetrics metrics) {
        this.path = first.path().toString();
        this.source = ContainerLogFileName.parse(first.path())
                .map(n -> new ContainerRef(n.namespace(), n.podName(), n.containerName(), n.containerId(), path))
                .orElse(new ContainerRef("", "", "", "", path));
        this.pods = pods;
        this.enricher = enricher;
        this.parsers = parsers;
        this.out = out;
        this.metrics = metrics;
        this.lastLine = now;
        this.acks = new RawLineAcks(metrics.acknowledged(source.namespace()));
        this.linesRead = metrics.linesRead(source.namespace());
        this.bytesRead = metrics.bytesRead(source.namespace());
        this.excluded = !config.ships(source.namespace());
        if (!excluded && !config.podWait().isZero() && !source.pod().isEmpty() && findPod() == null) {
            holdUntil = now + config.podWait().toMillis();
            metrics.heldFiles.incrementAndGet();
        } else {
            activate();
        }
    }

    void accept(RawLine line, long now) {
        lastLine = now;
        linesRead.increment();
        bytesRead.increment(line.bytes().length);
        if (excluded) {
            metrics.linesExcluded.increment();
            line.ack().acknowledge();
            return;
        }
        acks.add(line);
        if (parser == null) {
            held.addLast(line);
            heldBytes += line.bytes().length;
            if (heldBytes > MAX_HELD_BYTES) {
                release(now);
            }
            return;
        }
        parse(line);
    }

    /** Timer work: end a hold whose pod appeared or whose wait is over, emit timed-out merges. */
    void tick(long now) {
        if (parser == null) {
            if (findPod() != null || now >= holdUntil) {
                release(now);
            }
            return;
        }
        parser.flushExpired();
    }

    /** Emits everything held or merging: for shutdown, after the last lines were read. */
    void flushAll(long now) {
        if (parser == null) {
            release(now);
        }
        parser.flushAll();
    }

    /** Nothing held, merging or waiting for delivery, and no line for {@code idleMillis}: the stage can go. */
    boolean finished(long now, long idleMillis) {
        return parser != null && now - lastLine >= idleMillis && parser.nextDeadline().isEmpty() && acks.idle();
    }

    private void release(long now) {
        metrics.heldFiles.decrementAndGet();
        if (findPod() == null) {
            metrics.podWaitExpired.increment();
        }
        activate();
        if (excluded) {
            metrics.linesExcluded.increment(held.size());
            held.clear();
            acks.acknowledgeAll();
        }
        while (!held.isEmpty()) {
            parse(held.pollFirst());
        }
        heldBytes = 0;
    }

    private void activate() {
        fileEnricher = enricher.forFile(source);
        Map<String, String> annotations = fileEnricher.pod().map(PodInfo::annotations).orElse(Map.of());
        excluded = excluded || excludedBy(annotations);
        parser = parsers.forMode(path, parsers.modeFor(path, annotations), this::emit);
    }

    /** {@code vedetta.io/exclude: "true"} on the pod, or the container named in {@code vedetta.io/exclude-containers}. */
    private boolean excludedBy(Map<String, String> annotations) {
        if ("true".equalsIgnoreCase(annotations.getOrDefault(EXCLUDE, "").trim())) {
            return true;
        }
        for (String container : annotations.getOrDefault(EXCLUDE_CONTAINERS, "").split(",")) {
            if (container.trim().equals(source.container()) && !source.container().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private void parse(RawLine line) {
        parser.accept(line.bytes(), 0, line.bytes().length, line.startOffset(), line.endOffset());
    }

    private void emit(LogEvent event) {
        out.accept(new SinkRecord(acks.idOf(event.startOffset()), fileEnricher.enrich(event),
                acks.register(event.commitOffset())));
    }

    private PodInfo findPod() {
        if (!source.containerId().isEmpty()) {
            PodInfo byId = pods.byContainerId(source.containerId()).orElse(null);
            if (byId != null) {
                return byId;
            }
        }
        return pods.byName(source.namespace(), source.pod()).orElse(null);
    }
}

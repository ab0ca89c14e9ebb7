package io.vedetta.logs.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.logs.enrich.Enricher;
import io.vedetta.logs.parse.LogParsers;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.tail.FileKey;
import io.vedetta.logs.tail.RawLine;
import io.vedetta.logs.tail.Tailer;
import io.vedetta.pods.PodMetadata;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log pipeline, top to bottom: {@link Tailer} (files known by content, positions saved after
 * delivery) -> bounded line queue -> per-file parse ({@code CRI | docker}, partial and multiline merging)
 * -> enrich (pod metadata) -> batches -> {@link Sink}. Acknowledgements flow back the other way through
 * {@link RawLineAcks}. Backpressure pauses, never drops: a full sink (too many batches in flight) stops the
 * sending thread, then the processing thread, the line queue fills, and the tailer pauses
 * ({@code vedetta_log_paused}).
 *
 * <p>Two threads: {@code log-pipeline} parses and enriches, {@code log-sender} hands full batches to the sink in
 * order, so that what the sink does on the caller's thread (the buffer serialises the batches it keeps) runs
 * beside parsing rather than after it.
 */
public final class LogPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogPipeline.class);
    private static final long TICK_MILLIS = 100;
    /** Lines taken from the queue at once: a fraction of it, so the tailer reads on while they are parsed. */
    private static final int TAKEN_AT_ONCE = 256;
    private static final long IDLE_FILE_MILLIS = Duration.ofMinutes(10).toMillis();

    private final PipelineConfig config;
    private final PodMetadata pods;
    private final Sink sink;
    private final Clock clock;
    private final BlockingQueue<RawLine> lines;
    private final Tailer tailer;
    private final LogParsers parsers;
    private final Enricher enricher;
    private final PipelineMetrics metrics;
    private final Semaphore inFlight;
    private final Map<FileKey, FileStage> files = new HashMap<>();
    private final Thread processor;
    /** Full batches on their way to the sender; a small bound keeps backpressure close to the sink. */
    private final BlockingQueue<List<SinkRecord>> batches = new ArrayBlockingQueue<>(2);
    private final Thread sender;
    private List<SinkRecord> batch;
    private long batchStarted;
    private volatile boolean stopping;
    private volatile boolean stopped;

    public LogPipeline(PipelineConfig config, PodMetadata pods, Sink sink, MeterRegistry registry, Clock clock)
            throws IOException {
        this.config = config;
        this.batch = newBatch();
        this.pods = pods;
        this.sink = sink;
        this.clock = clock;
        this.lines = new ArrayBlockingQueue<>(config.queueLines());
        this.tailer = new Tailer(config.tail(), lines::offer, registry);
        this.parsers = new LogParsers(config.parse(), registry, clock);
        this.enricher = new Enricher(config.enrich(), pods, registry, clock);
        this.metrics = new PipelineMetrics(registry);
        this.inFlight = new Semaphore(config.maxInFlight());
        this.processor = new Thread(this::process, "log-pipeline");
        this.sender = new Thread(this::sendBatches, "log-sender");
        sender.setDaemon(true);
    }

    public void start() {
        sender.start();
        processor.start();
        tailer.start();
    }

    private void process() {
        long nextTick = 0;
        List<RawLine> taken = new ArrayList<>(TAKEN_AT_ONCE);
        try {
            while (!stopped) {
                RawLine line = lines.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
                long now = clock.millis();
                if (line != null) {
                    // What else is queued goes in one take: taking lines one by one from a full queue woke the
                    // waiting tailer for every line, and both threads spent their time parking and unparking.
                    taken.add(line);
                    lines.drainTo(taken, TAKEN_AT_ONCE - 1);
                    for (RawLine next : taken) {
                        // get-then-put rather than computeIfAbsent: its capturing lambda was allocated per line.
                        FileStage stage = files.get(next.file());
                        if (stage == null) {
                            stage = new FileStage(next, pods, enricher, parsers, config, now, this::add, metrics);
                            files.put(next.file(), stage);
                        }
                        stage.accept(next, now);
                    }
                    taken.clear();
                }
                if (now >= nextTick) {
                    files.values().forEach(f -> f.tick(now));
                    files.values().removeIf(f -> f.finished(now, IDLE_FILE_MILLIS));
                    nextTick = now + TICK_MILLIS;
                }
                if (line == null && stopping) {
                    files.values().forEach(f -> f.flushAll(now));
                    send();
                } else if (!batch.isEmpty() && (batch.size() >= config.batchRecords()
                        || now - batchStarted >= config.batchLinger().toMillis())) {
                    send();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("log pipeline stopped by an unexpected error; lines read but not delivered are read again"
                    + " after a restart", e);
        }
    }

    private void add(SinkRecord record) {
        if (batch.isEmpty()) {
            batchStarted = clock.millis();
        }
        batch.add(record);
        if (batch.size() >= config.batchRecords()) {
            try {
                send();
            } catch (InterruptedException e) {
                // Kept for the loop, which then ends; the batch's lines are read again after a restart.
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sized for a full batch up front (bounded, for a large setting): growing it cost an array copy per doubling. */
    private List<SinkRecord> newBatch() {
        return new ArrayList<>(Math.min(config.batchRecords(), 4096));
    }

    private void send() throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        batches.put(batch);
        batch = newBatch();
    }

    private void sendBatches() {
        try {
            while (true) {
                List<SinkRecord> out = batches.take();
                if (out.isEmpty()) {
                    return;
                }
                inFlight.acquireUninterruptibly();
                metrics.inFlight.incrementAndGet();
                metrics.recordsSent.increment(out.size());
                sink.send(out).whenComplete((ok, error) -> {
                    metrics.inFlight.decrementAndGet();
                    inFlight.release();
                    if (error != null) {
                        metrics.batchesFailed.increment();
                        LOG.warn("sink gave up on a batch of {} records; they are read again after a restart: {}",
                                out.size(), error.toString());
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("log sender stopped by an unexpected error; lines read but not delivered are read again"
                    + " after a restart", e);
        }
    }

    /**
     * Stops reading, emits what is merging, and waits up to {@code grace} for the sink to acknowledge
     * what was sent so the saved positions are as far as possible; then closes the sink.
     */
    public void close(Duration grace) {
        stopping = true;
        tailer.close(grace);
        stopped = true;
        try {
            processor.join(TICK_MILLIS * 10);
            // The empty batch tells the sender that nothing follows; it sends what is queued first.
            if (batches.offer(List.of(), TICK_MILLIS * 10, TimeUnit.MILLISECONDS)) {
                sender.join(TICK_MILLIS * 10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}

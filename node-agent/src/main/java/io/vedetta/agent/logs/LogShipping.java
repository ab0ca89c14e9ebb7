package io.vedetta.agent.logs;

import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.agent.config.LogsConfig;
import io.vedetta.agent.lifecycle.Part;
import io.vedetta.logs.buffer.SpillingSink;
import io.vedetta.logs.pipeline.LogPipeline;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.sink.FileSink;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.sink.elasticsearch.ElasticsearchSink;
import io.vedetta.logs.sink.elasticsearch.ElasticsearchSinkConfig;
import io.vedetta.logs.sink.forward.ForwardSink;
import io.vedetta.pods.PodMetadata;
import io.vedetta.time.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The log sink with its buffer as a part of the agent, and the log pipeline that tails the container logs into it
 * (when {@code logs.enabled}). Other sources (the cluster's Kubernetes events) share the same buffer, routing and
 * sink through {@link #sharedSink()}; they are stopped before this part, which then drains and closes the sink.
 */
public final class LogShipping implements Part {

    private final LogsConfig config;
    private final ElasticsearchSinkConfig elasticsearch;
    private final PodMetadata pods;
    private final MeterRegistry registry;
    private volatile SpillingSink sink;
    private LogPipeline pipeline;

    public LogShipping(LogsConfig config, ElasticsearchSinkConfig elasticsearch, PodMetadata pods, MeterRegistry registry) {
        this.config = config;
        this.elasticsearch = elasticsearch;
        this.pods = pods;
        this.registry = registry;
    }

    @Override
    public String name() {
        return config.enabled() ? "log-shipping" : "log-sink";
    }

    @Override
    public void start() throws IOException {
        Files.createDirectories(config.pipeline().tail().stateDir());
        sink = new SpillingSink(sink(), config.buffer(), registry, Ticker.SYSTEM);
        if (config.enabled()) {
            pipeline = new LogPipeline(config.pipeline(), pods, sharedSink(), registry, Clock.systemUTC());
            pipeline.start();
        }
    }

    private Sink sink() throws IOException {
        return switch (config.sink()) {
            case ELASTICSEARCH -> new ElasticsearchSink(elasticsearch, registry, Clock.systemUTC());
            case STDOUT -> FileSink.toStdout(registry);
            case FILE -> FileSink.appendingTo(config.sinkPath().orElseThrow(), registry);
            case FORWARD -> new ForwardSink(config.forward().orElseThrow(), registry, Clock.systemUTC());
        };
    }

    /** Not ready while the tailer is stuck: blocked in a call, or leaving files with unread bytes unread. */
    @Override
    public Optional<String> notReadyReason() {
        return pipeline == null ? Optional.empty() : pipeline.stuckReason();
    }

    /** The buffered sink, for a source that this part does not own; its close does nothing. */
    public Sink sharedSink() {
        return new Sink() {
            @Override
            public CompletableFuture<Void> send(List<SinkRecord> batch) {
                SpillingSink current = sink;
                return current == null
                        ? CompletableFuture.failedFuture(new IllegalStateException("the log sink has not started"))
                        : current.send(batch);
            }

            @Override
            public void close() {
                // The sink is this part's to close, after every source is stopped.
            }
        };
    }

    @Override
    public void stop(Duration grace) {
        if (pipeline != null) {
            pipeline.close(grace);
        }
        if (sink != null) {
            sink.close();
        }
    }
}

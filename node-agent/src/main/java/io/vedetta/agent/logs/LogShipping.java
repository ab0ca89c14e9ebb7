package io.vedetta.agent.logs;

import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.agent.config.LogsConfig;
import io.vedetta.agent.lifecycle.Part;
import io.vedetta.logs.buffer.SpillingSink;
import io.vedetta.logs.pipeline.LogPipeline;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.sink.FileSink;
import io.vedetta.logs.sink.elasticsearch.ElasticsearchSink;
import io.vedetta.logs.sink.elasticsearch.ElasticsearchSinkConfig;
import io.vedetta.logs.sink.forward.ForwardSink;
import io.vedetta.pods.PodMetadata;
import io.vedetta.time.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** The log pipeline as a part of the agent: built from the {@code logs} section, stopped with a drain. */
public final class LogShipping implements Part {

    private final LogsConfig config;
    private final ElasticsearchSinkConfig elasticsearch;
    private final PodMetadata pods;
    private final MeterRegistry registry;
    private LogPipeline pipeline;

    public LogShipping(LogsConfig config, ElasticsearchSinkConfig elasticsearch, PodMetadata pods, MeterRegistry registry) {
        this.config = config;
        this.elasticsearch = elasticsearch;
        this.pods = pods;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "log-shipping";
    }

    @Override
    public void start() throws IOException {
        Files.createDirectories(config.pipeline().tail().stateDir());
        pipeline = new LogPipeline(config.pipeline(), pods,
                new SpillingSink(sink(), config.buffer(), registry, Ticker.SYSTEM), registry, Clock.systemUTC());
        pipeline.start();
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

    @Override
    public void stop(Duration grace) {
        if (pipeline != null) {
            pipeline.close(grace);
        }
    }
}

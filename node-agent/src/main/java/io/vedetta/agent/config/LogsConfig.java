package io.vedetta.agent.config;

import io.vedetta.logs.buffer.BufferConfig;
import io.vedetta.logs.enrich.EnrichConfig;
import io.vedetta.logs.enrich.FieldStyle;
import io.vedetta.logs.parse.MultilineMode;
import io.vedetta.logs.parse.OversizeAction;
import io.vedetta.logs.parse.ParseConfig;
import io.vedetta.logs.pipeline.PipelineConfig;
import io.vedetta.logs.settings.InvalidSettingException;
import io.vedetta.logs.sink.forward.ForwardConfig;
import io.vedetta.logs.sink.forward.TagTemplate;
import io.vedetta.logs.tail.TailConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Container log collection: the {@code logs} section read into the log shipper's own records. Each record
 * validates itself and names the setting relative to this section; its refusals become {@link ConfigException}s
 * naming the full path.
 *
 * @param sink where records go: {@code elasticsearch} (the default; settings in the {@code elasticsearch} section),
 *             {@code file} (NDJSON at {@code sink.path}), {@code stdout}, or {@code forward} (a fluentd forward
 *             input, {@code logs.forward})
 * @param buffer the memory and disk buffer in front of the sink ({@code logs.buffer})
 * @param forward the forward sink's settings, present when {@code logs.sink.type} is {@code forward}
 */
public record LogsConfig(boolean enabled, PipelineConfig pipeline, SinkType sink, Optional<Path> sinkPath,
        BufferConfig buffer, Optional<ForwardConfig> forward) {

    public enum SinkType { ELASTICSEARCH, FILE, STDOUT, FORWARD }

    /** Lines longer than this many times {@code logs.maxLineBytes} are cut while reading, before splitting. */
    static final int READ_LIMIT_FACTOR = 4;

    static LogsConfig from(ConfigNode n) {
        boolean enabled = n.bool("enabled", false);
        List<String> paths = n.stringList("paths", TailConfig.DEFAULT_PATHS);
        Path stateDir = Path.of(n.string("stateDir", "/var/lib/vedetta"));
        long maxLineBytes = n.bytes("maxLineBytes", ParseConfig.DEFAULT_MAX_LINE_BYTES);
        if (maxLineBytes > (64 << 20)) {
            throw new ConfigException(n.path("maxLineBytes"), maxLineBytes + " bytes is too large",
                    "use at most 64MiB");
        }
        ConfigNode multiline = n.section("multiline");
        ConfigNode batch = n.section("batch");
        ConfigNode sinkNode = n.section("sink");
        ConfigNode namespaces = n.section("namespaces");
        try {
            TailConfig tail = TailConfig.builder()
                    .paths(paths)
                    .excludePaths(n.stringList("excludePaths", List.of()))
                    .stateDir(stateDir)
                    .readFrom(n.choice("readFrom", TailConfig.ReadFrom.HEAD, TailConfig.ReadFrom.class))
                    .onCorruptPositions(n.choice("onCorruptPositions", TailConfig.ReadFrom.HEAD,
                            TailConfig.ReadFrom.class))
                    .rotateWait(n.duration("rotateWait", Duration.ofSeconds(5)))
                    .rescanInterval(n.duration("rescanInterval", Duration.ofSeconds(5)))
                    .pollInterval(n.duration("pollInterval", Duration.ofMillis(250)))
                    .checkpointInterval(n.duration("checkpointInterval", Duration.ofSeconds(1)))
                    .stateRetention(n.duration("stateRetention", Duration.ofMinutes(10)))
                    .maxLineBytes((int) Math.min(Integer.MAX_VALUE - 1024, maxLineBytes * READ_LIMIT_FACTOR + 65536))
                    .build();
            ParseConfig parse = new ParseConfig(
                    (int) maxLineBytes,
                    n.choice("oversizeLines", OversizeAction.SPLIT, OversizeAction.class),
                    n.duration("partialFlushTimeout", Duration.ofSeconds(5)),
                    multiline.choice("mode", MultilineMode.NONE, MultilineMode.class),
                    multiline.string("startPattern", ""),
                    multiline.duration("flushTimeout", Duration.ofSeconds(2)),
                    multiline.integer("maxLines", 500, 2, 100_000),
                    n.bool("parseJson", false));
            EnrichConfig enrich = new EnrichConfig(
                    n.choice("fields", FieldStyle.FLUENTD, FieldStyle.class),
                    n.bool("labels", true),
                    n.bool("annotations", false),
                    n.bool("deDot", true),
                    n.string("deDotSeparator", "_"),
                    n.string("jsonField", "json"),
                    n.duration("podMetadataRetry", Duration.ofSeconds(5)));
            PipelineConfig pipeline = new PipelineConfig(tail, parse, enrich,
                    batch.integer("records", 500, 1, 100_000),
                    batch.duration("linger", Duration.ofSeconds(1)),
                    batch.integer("maxInFlight", 1, 1, 64),
                    n.duration("podWait", Duration.ofSeconds(5)),
                    n.integer("queueLines", 2048, 1, 1_000_000),
                    Set.copyOf(namespaces.stringList("include", List.of())),
                    Set.copyOf(namespaces.stringList("exclude", List.of())));
            SinkType sink = sinkNode.choice("type", SinkType.ELASTICSEARCH, SinkType.class);
            Optional<Path> sinkPath = sinkNode.optionalString("path").map(Path::of);
            return new LogsConfig(enabled, pipeline, sink,
                    sink == SinkType.FILE ? Optional.of(sinkPath.orElse(stateDir.resolve("logs.ndjson"))) : sinkPath,
                    buffer(n.section("buffer"), stateDir), forward(n, sink));
        } catch (InvalidSettingException e) {
            throw new ConfigException(n.path(e.setting()), e.problem(),
                    "see the configuration reference in README.md for the allowed values");
        }
    }

    private static BufferConfig buffer(ConfigNode b, Path stateDir) {
        BufferConfig defaults = BufferConfig.defaults(stateDir);
        return new BufferConfig(defaults.dir(),
                b.bytes("memoryBytes", defaults.memoryBytes()),
                b.bytes("diskBytes", defaults.diskBytes()),
                b.integer("maxRecords", defaults.maxRecords(), 1, 100_000_000),
                b.integer("maxInFlight", defaults.maxInFlight(), 1, 64),
                b.duration("maxRetryBackoff", defaults.maxRetryBackoff()),
                b.duration("stallTimeout", defaults.stallTimeout()),
                b.choice("acknowledge", defaults.acknowledge(), BufferConfig.Acknowledge.class));
    }

    /** Read whenever the section is there, so its typos are reported even while another sink is chosen. */
    private static Optional<ForwardConfig> forward(ConfigNode n, SinkType sink) {
        if (sink != SinkType.FORWARD && !n.has("forward")) {
            return Optional.empty();
        }
        ConfigNode f = n.section("forward");
        String host = f.string("host", "");
        if (sink == SinkType.FORWARD && host.isBlank()) {
            throw new ConfigException(f.path("host"), "is required when logs.sink.type is forward",
                    "set it to the host of the fluentd or Fluent Bit forward input");
        }
        long bufferBytes = f.bytes("bufferBytes", 8L << 20);
        if (bufferBytes > (1L << 30)) {
            throw new ConfigException(f.path("bufferBytes"), bufferBytes + " bytes is too large", "use at most 1GiB");
        }
        ForwardConfig config = new ForwardConfig(host.isBlank() ? "localhost" : host,
                f.integer("port", ForwardConfig.DEFAULT_PORT, 1, 65535),
                TagTemplate.parse(f.string("tag", ForwardConfig.DEFAULT_TAG)),
                f.duration("timeout", Duration.ofSeconds(3), Duration.ofHours(1)),
                (int) bufferBytes);
        return sink == SinkType.FORWARD ? Optional.of(config) : Optional.empty();
    }
}

package io.vedetta.agent.config;

import io.vedetta.logs.enrich.EnrichConfig;
import io.vedetta.logs.enrich.FieldStyle;
import io.vedetta.logs.parse.MultilineMode;
import io.vedetta.logs.parse.OversizeAction;
import io.vedetta.logs.parse.ParseConfig;
import io.vedetta.logs.pipeline.PipelineConfig;
import io.vedetta.logs.tail.TailConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Container log collection: the {@code logs} section read into the log shipper's own records. Each record
 * validates itself and names the setting; those messages become {@link ConfigException}s here.
 *
 * @param sink where records go: {@code elasticsearch} (the default; settings in the {@code elasticsearch} section),
 *             {@code file} (NDJSON at {@code sink.path}) or {@code stdout}
 */
public record LogsConfig(boolean enabled, PipelineConfig pipeline, SinkType sink, Optional<Path> sinkPath) {

    public enum SinkType { ELASTICSEARCH, FILE, STDOUT }

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
                    .longLines(TailConfig.LongLines.TRUNCATE)
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
                    batch.integer("maxInFlight", 4, 1, 64),
                    n.duration("podWait", Duration.ofSeconds(5)),
                    n.integer("queueLines", 8192, 1, 1_000_000),
                    Set.copyOf(namespaces.stringList("include", List.of())),
                    Set.copyOf(namespaces.stringList("exclude", List.of())));
            SinkType sink = sinkNode.choice("type", SinkType.ELASTICSEARCH, SinkType.class);
            Optional<Path> sinkPath = sinkNode.optionalString("path").map(Path::of);
            return new LogsConfig(enabled, pipeline, sink,
                    sink == SinkType.FILE ? Optional.of(sinkPath.orElse(stateDir.resolve("logs.ndjson"))) : sinkPath);
        } catch (IllegalArgumentException e) {
            throw fromRecord(e);
        }
    }

    /** The records' messages start with the setting they reject, e.g. "logs.multiline.startPattern is ...". */
    private static ConfigException fromRecord(IllegalArgumentException e) {
        String message = e.getMessage();
        int space = message.indexOf(' ');
        String setting = space > 0 && message.startsWith("logs.") ? message.substring(0, space) : "logs";
        return new ConfigException(setting, message.substring(Math.max(space, 0)).trim(),
                "see the configuration reference in README.md for the allowed values");
    }
}

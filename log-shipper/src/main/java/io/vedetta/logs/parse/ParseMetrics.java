package io.vedetta.logs.parse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The parse stage's counters, created once and shared by every file's parser. Micrometer names are dotted and
 * the Prometheus registry appends {@code _total}: {@code vedetta.log.lines} is exposed as
 * {@code vedetta_log_lines_total}.
 */
final class ParseMetrics {

    enum FlushReason {
        SIZE("size"), LINES("lines"), TIMEOUT("timeout"), END("end");

        final String tag;

        FlushReason(String tag) {
            this.tag = tag;
        }
    }

    static final String REASON_UNRECOGNIZED = "unrecognized";
    static final String REASON_MALFORMED_CRI = "malformed_cri";
    static final String REASON_MALFORMED_DOCKER = "malformed_docker";
    static final String REASON_MESSAGE_JSON = "message_json";
    static final String REASON_MULTILINE_ANNOTATION = "multiline_annotation";

    private final Map<String, Counter> parseErrors = new HashMap<>();
    private final Map<LogFormat, Counter> lines = new EnumMap<>(LogFormat.class);
    private final Map<FlushReason, Counter> partialFlushes = new EnumMap<>(FlushReason.class);
    private final Map<FlushReason, Counter> multilineFlushes = new EnumMap<>(FlushReason.class);
    final Counter truncated;
    final Counter split;
    final Counter invalidUtf8;
    final Counter records;
    final Counter partialMerges;
    final Counter multilineJoins;

    ParseMetrics(MeterRegistry registry) {
        for (LogFormat format : LogFormat.values()) {
            lines.put(format, Counter.builder("vedetta.log.lines")
                    .description("Container log lines read, by the format they were parsed as")
                    .tag("format", format.tag()).register(registry));
        }
        for (FlushReason reason : FlushReason.values()) {
            if (reason != FlushReason.LINES) {
                // A partial merge has no line limit, only the byte limit.
                partialFlushes.put(reason, Counter.builder("vedetta.log.partial.flushes")
                        .description("Partial-line merges emitted before their final line arrived")
                        .tag("reason", reason.tag).register(registry));
            }
            multilineFlushes.put(reason, Counter.builder("vedetta.log.multiline.flushes")
                    .description("Multiline records emitted without a following start line")
                    .tag("reason", reason.tag).register(registry));
        }
        for (String reason : new String[] {REASON_UNRECOGNIZED, REASON_MALFORMED_CRI, REASON_MALFORMED_DOCKER,
                REASON_MESSAGE_JSON, REASON_MULTILINE_ANNOTATION}) {
            parseErrors.put(reason, Counter.builder("vedetta.log.parse.errors")
                    .description("Lines or messages that could not be parsed; they are shipped anyway, flagged")
                    .tag("reason", reason).register(registry));
        }
        truncated = Counter.builder("vedetta.log.lines.truncated")
                .description("Lines longer than logs.maxLineBytes that were truncated").register(registry);
        split = Counter.builder("vedetta.log.lines.split")
                .description("Lines longer than logs.maxLineBytes that were split into several records")
                .register(registry);
        invalidUtf8 = Counter.builder("vedetta.log.invalid.utf8")
                .description("Lines with invalid UTF-8 bytes, replaced by U+FFFD").register(registry);
        partialMerges = Counter.builder("vedetta.log.partial.merges")
                .description("Records merged from partial lines (CRI P, docker lines without newline)").register(registry);
        multilineJoins = Counter.builder("vedetta.log.multiline.joins")
                .description("Records joined from several lines (stack traces, logs.multiline)").register(registry);
        records = Counter.builder("vedetta.log.records")
                .description("Records emitted by the parse stage (after merging and joining lines)")
                .register(registry);
    }

    void line(LogFormat format) {
        lines.get(format).increment();
    }

    void partialFlush(FlushReason reason) {
        partialFlushes.get(reason).increment();
    }

    void multilineFlush(FlushReason reason) {
        multilineFlushes.get(reason).increment();
    }

    void parseError(String reason) {
        parseErrors.get(reason).increment();
    }
}

package io.vedetta.logs.parse;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the parse stage of each file. Built once by the pipeline; holds what the files share (config,
 * counters, JSON factory, clock) and is thread-safe, while each {@link FileLogParser} belongs to one thread.
 */
public final class LogParsers {

    private static final Logger LOG = LoggerFactory.getLogger(LogParsers.class);

    private final ParseConfig config;
    private final ParseMetrics metrics;
    private final ObjectMapper json;
    private final FormatDetector detector;
    private final Clock clock;
    /**
     * One copier per parsing thread, shared by the files it parses. A copier per file started each file with small
     * buffers, and growing them is a branch the JIT had compiled out by then: every new file trapped back to the
     * interpreter and the parse stage was compiled again (JFR jdk.Deoptimization, unstable_if in CompactJson).
     */
    private final ThreadLocal<JsonObjectCopier> copiers;

    public LogParsers(ParseConfig config, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.metrics = new ParseMetrics(registry);
        // A message such as {"a":1} trailing-text is text, not an object with the tail dropped.
        this.json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.detector = new FormatDetector(json.getFactory());
        this.clock = clock;
        this.copiers = ThreadLocal.withInitial(() -> new JsonObjectCopier(json));
    }

    /** The parser of one file with the given multiline mode; {@code file} only names it in log messages. */
    public FileLogParser forMode(String file, MultilineMode mode, Consumer<LogEvent> out) {
        return new FileLogParser(file, config, mode, detector, copiers, metrics, clock, out);
    }

    /**
     * The multiline mode for a pod: its {@value MultilineMode#ANNOTATION} annotation when present and valid,
     * else {@code logs.multiline.mode}. An invalid value is counted, logged, and falls back to the config.
     */
    public MultilineMode modeFor(String file, Map<String, String> podAnnotations) {
        String value = podAnnotations.get(MultilineMode.ANNOTATION);
        if (value == null) {
            return config.multilineMode();
        }
        Optional<MultilineMode> mode = MultilineMode.parse(value)
                .filter(m -> m != MultilineMode.REGEX || !config.multilineStartPattern().isEmpty());
        if (mode.isEmpty()) {
            metrics.parseError(ParseMetrics.REASON_MULTILINE_ANNOTATION);
            LOG.warn("{}: annotation {}={} is not one of none, java, python, go (regex needs "
                    + "logs.multiline.startPattern); using logs.multiline.mode={}",
                    file, MultilineMode.ANNOTATION, value, config.multilineMode());
            return config.multilineMode();
        }
        return mode.get();
    }
}

package io.vedetta.logs.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vedetta.logs.sink.forward.ForwardConfig;
import io.vedetta.logs.sink.forward.ForwardSink;
import io.vedetta.logs.sink.forward.TagTemplate;
import io.vedetta.time.Ticker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names users will query for the buffer and the forward sink, as a real Prometheus registry exposes them. */
class BufferMetricNamesTest {

    @TempDir
    Path dir;

    @Test
    void exposesBufferAndForwardSinkMetricsUnderTheirCatalogueNames() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ForwardSink forward = new ForwardSink(new ForwardConfig("127.0.0.1", 24224,
                TagTemplate.parse(ForwardConfig.DEFAULT_TAG), Duration.ofSeconds(1), 1 << 20), registry, Clock.systemUTC());
        try (SpillingSink buffer = new SpillingSink(forward, BufferConfig.defaults(dir), registry, Ticker.SYSTEM)) {
            String text = registry.scrape();
            Set<String> names = text.lines().filter(l -> l.startsWith("# TYPE "))
                    .map(l -> l.split(" ")[2] + " " + l.split(" ")[3]).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(List.of(
                    "vedetta_log_buffer_bytes gauge",
                    "vedetta_log_buffer_records gauge",
                    "vedetta_log_buffer_full gauge",
                    "vedetta_log_buffer_spilled_total counter",
                    "vedetta_log_buffer_replayed_total counter",
                    "vedetta_log_buffer_corrupt_total counter",
                    "vedetta_log_buffer_dead_lettered_total counter",
                    "vedetta_log_buffer_retries_total counter",
                    "vedetta_log_buffer_stalls_total counter",
                    "vedetta_log_buffer_dropped_total counter",
                    "vedetta_log_buffer_errors_total counter",
                    "vedetta_log_sink_forward_sent_total counter",
                    "vedetta_log_sink_forward_errors_total counter",
                    "vedetta_log_sink_forward_dropped_total counter")), names);
            assertEquals(2, text.lines().filter(l -> l.startsWith("vedetta_log_buffer_bytes{medium=")).count(), text);
            assertEquals(3, text.lines().filter(l -> l.startsWith("vedetta_log_buffer_errors_total{op=")).count(), text);
        }
    }
}

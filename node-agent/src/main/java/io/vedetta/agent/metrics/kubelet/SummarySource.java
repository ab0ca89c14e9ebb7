package io.vedetta.agent.metrics.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.metrics.FamilyNames;
import io.vedetta.agent.metrics.MetricSource;
import io.vedetta.agent.metrics.MetricsErrors;
import io.vedetta.agent.metrics.ErrorReason;
import io.vedetta.agent.metrics.SourceException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * The kubelet's {@code /stats/summary} (JSON) as series with cAdvisor's names and labels, for clusters where
 * {@code /metrics/cadvisor} is not reachable. Per container ({@code namespace, pod, container}): CPU time,
 * working set, RSS, memory usage, writable-layer usage, start time; per pod and interface
 * ({@code namespace, pod, interface}): network bytes and errors. Node, pod totals, volumes, logs, inodes and
 * page faults are not mapped: the node source, cgroups and the kubelet's own {@code /metrics} cover them.
 */
public final class SummarySource implements MetricSource {

    public static final String PATH = "/stats/summary";
    private static final FamilyNames FAMILIES = FamilyNames.exposed("container_cpu_usage_seconds_total",
            "container_memory_working_set_bytes", "container_memory_rss", "container_memory_usage_bytes",
            "container_fs_usage_bytes", "container_start_time_seconds", "container_network_receive_bytes_total",
            "container_network_transmit_bytes_total", "container_network_receive_errors_total",
            "container_network_transmit_errors_total");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubeletClient client;
    private final MetricsErrors errors;
    private final UnaryOperator<Labels> relabel;

    /** @param relabel applied to every series' labels, e.g. to add {@code metrics_path} */
    public SummarySource(KubeletClient client, MetricsErrors errors, UnaryOperator<Labels> relabel) {
        this.client = client;
        this.errors = errors;
        this.relabel = relabel;
    }

    @Override
    public String name() {
        return "summary";
    }

    @Override
    public FamilyNames families() {
        return FAMILIES;
    }

    @Override
    public MetricSnapshots collect() throws SourceException {
        JsonNode summary = client.get(PATH, JSON::readTree);
        if (summary == null || summary.isMissingNode()) {
            throw new SourceException(ErrorReason.READ, PATH + " answered with an empty body");
        }
        JsonNode pods = summary.path("pods");
        if (!pods.isArray()) {
            throw new SourceException(ErrorReason.PARSE, PATH + " has no pods list");
        }
        Families families = new Families();
        int malformed = 0;
        String example = null;
        for (JsonNode pod : pods) {
            String namespace = pod.path("podRef").path("namespace").asText("");
            String name = pod.path("podRef").path("name").asText("");
            if (namespace.isEmpty() || name.isEmpty()) {
                malformed++;
                example = example == null ? "a pod without podRef.namespace/name" : example;
                continue;
            }
            for (JsonNode container : pod.path("containers")) {
                String containerName = container.path("name").asText("");
                if (containerName.isEmpty()) {
                    malformed++;
                    example = example == null ? "a container of " + namespace + "/" + name + " without a name" : example;
                    continue;
                }
                container(families, relabel.apply(Labels.of("namespace", namespace, "pod", name,
                        "container", containerName)), container);
            }
            network(families, namespace, name, pod.path("network"));
        }
        errors.skipped(name(), ErrorReason.MALFORMED_ENTRY, malformed, example);
        return families.build();
    }

    private void container(Families f, Labels labels, JsonNode c) {
        f.counter("container_cpu_usage_seconds_total", "Cumulative CPU time consumed, in seconds.", labels,
                c.path("cpu").path("usageCoreNanoSeconds"), v -> v / 1e9);
        JsonNode memory = c.path("memory");
        f.gauge("container_memory_working_set_bytes", "Current working set, in bytes.", labels,
                memory.path("workingSetBytes"));
        f.gauge("container_memory_rss", "Size of RSS, in bytes.", labels, memory.path("rssBytes"));
        f.gauge("container_memory_usage_bytes", "Current memory usage, including all memory regardless of when it"
                + " was accessed, in bytes.", labels, memory.path("usageBytes"));
        f.gauge("container_fs_usage_bytes", "Bytes used by the container's writable layer.", labels,
                c.path("rootfs").path("usedBytes"));
        JsonNode started = c.path("startTime");
        if (started.isTextual()) {
            try {
                double seconds = Instant.parse(started.asText()).getEpochSecond();
                f.gauge("container_start_time_seconds", "Start time of the container since unix epoch in seconds.",
                        labels, seconds);
            } catch (DateTimeParseException e) {
                errors.skipped(name(), ErrorReason.MALFORMED_ENTRY, 1, "startTime \"" + started.asText() + "\"");
            }
        }
    }

    private void network(Families f, String namespace, String pod, JsonNode network) {
        List<JsonNode> interfaces = new ArrayList<>();
        network.path("interfaces").forEach(interfaces::add);
        if (interfaces.isEmpty() && network.has("name")) {
            interfaces.add(network);
        }
        for (JsonNode nic : interfaces) {
            Labels labels = relabel.apply(Labels.of("namespace", namespace, "pod", pod,
                    "interface", nic.path("name").asText("")));
            f.counter("container_network_receive_bytes_total", "Cumulative count of bytes received.", labels,
                    nic.path("rxBytes"), v -> v);
            f.counter("container_network_transmit_bytes_total", "Cumulative count of bytes transmitted.", labels,
                    nic.path("txBytes"), v -> v);
            f.counter("container_network_receive_errors_total",
                    "Cumulative count of errors encountered while receiving.", labels, nic.path("rxErrors"), v -> v);
            f.counter("container_network_transmit_errors_total",
                    "Cumulative count of errors encountered while transmitting.", labels, nic.path("txErrors"), v -> v);
        }
    }

    /** Builders by family name; a value absent from the summary (e.g. rssBytes on Windows) adds no series. */
    private static final class Families {
        private final Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();
        private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
        private final Map<String, Set<Labels>> seen = new LinkedHashMap<>();

        void counter(String name, String help, Labels labels, JsonNode value, ToDoubleFunction<Double> scale) {
            if (value.isNumber() && firstTime(name, labels)) {
                counters.computeIfAbsent(name, n -> CounterSnapshot.builder().name(n).help(help))
                        .dataPoint(CounterDataPointSnapshot.builder().labels(labels)
                                .value(scale.applyAsDouble(value.asDouble())).build());
            }
        }

        void gauge(String name, String help, Labels labels, JsonNode value) {
            if (value.isNumber()) {
                gauge(name, help, labels, value.asDouble());
            }
        }

        void gauge(String name, String help, Labels labels, double value) {
            if (firstTime(name, labels)) {
                gauges.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help))
                        .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
            }
        }

        /** Keeps the first entry when a pod or container is listed twice, so no series repeats. */
        private boolean firstTime(String name, Labels labels) {
            return seen.computeIfAbsent(name, n -> new HashSet<>()).add(labels);
        }

        MetricSnapshots build() {
            List<MetricSnapshot> out = new ArrayList<>();
            counters.values().forEach(b -> out.add(b.build()));
            gauges.values().forEach(b -> out.add(b.build()));
            return new MetricSnapshots(out);
        }
    }
}

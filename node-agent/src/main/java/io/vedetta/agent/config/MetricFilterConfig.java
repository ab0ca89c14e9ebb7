package io.vedetta.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Cardinality controls applied to every metric source ({@code metrics.filter}). Name patterns match the
 * whole family name as exposed (counters with their {@code _total}).
 *
 * @param allow families kept; empty keeps all
 * @param deny families dropped, even when allowed
 * @param dropLabels label names removed from every series
 * @param dropContainerSeriesWithoutPod drop what kube-prometheus' kubelet ServiceMonitor drops (see
 *     {@code KubePrometheusDrops}): cAdvisor's per-cgroup spec and process series without a pod, its per-container
 *     block-device series, four costly cAdvisor families and deprecated kubelet families; no more
 * @param dropAllContainerSeriesWithoutPod stricter: also drop every other {@code container_*} series lacking a pod
 *     or namespace label (the cgroups of system services, the kubelet and the runtime, and the cgroup root)
 * @param podLabels pod label keys copied onto series that carry pod and namespace, as {@code label_<key>}
 */
public record MetricFilterConfig(
        List<Pattern> allow,
        List<Pattern> deny,
        List<String> dropLabels,
        boolean dropContainerSeriesWithoutPod,
        boolean dropAllContainerSeriesWithoutPod,
        List<String> podLabels) {

    public MetricFilterConfig {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        dropLabels = List.copyOf(dropLabels);
        podLabels = List.copyOf(podLabels);
    }

    /** Keeps what kube-prometheus keeps, the default. */
    public static MetricFilterConfig defaults() {
        return new MetricFilterConfig(List.of(), List.of(), List.of(), true, false, List.of());
    }

    static MetricFilterConfig from(ConfigNode n) {
        return new MetricFilterConfig(
                patterns(n, "allow"),
                patterns(n, "deny"),
                n.stringList("dropLabels", List.of()),
                n.bool("dropContainerSeriesWithoutPod", true),
                n.bool("dropAllContainerSeriesWithoutPod", false),
                n.stringList("podLabels", List.of()));
    }

    private static List<Pattern> patterns(ConfigNode n, String key) {
        List<String> raw = n.stringList(key, List.of());
        List<Pattern> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            try {
                out.add(Pattern.compile(raw.get(i)));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(n.path(key) + "[" + i + "]",
                        "\"" + raw.get(i) + "\" is not a valid regular expression (" + e.getDescription() + ")",
                        "write a Java regular expression matching whole metric names, e.g. container_fs_.*");
            }
        }
        return out;
    }
}

package io.vedetta.agent.metrics.kubelet;

import io.prometheus.metrics.model.snapshots.Labels;
import io.vedetta.agent.config.KubeletConfig;
import io.vedetta.agent.metrics.FamilyNames;
import io.vedetta.agent.metrics.MetricSource;
import io.vedetta.agent.metrics.MetricsErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The kubelet sources switched on in {@code metrics.kubelet.sources}, each named as its {@code source} label. */
public final class KubeletSources {

    public static final String CADVISOR = "/metrics/cadvisor";
    public static final String RESOURCE = "/metrics/resource";
    public static final String KUBELET = "/metrics";

    /** What the kubelet's cAdvisor registry serves: cAdvisor's container and machine collectors and its version. */
    static final FamilyNames CADVISOR_FAMILIES = FamilyNames.prefixed("container_", "machine_", "cadvisor_");
    /** What the kubelet's resource metrics endpoint serves: node, pod and container usage, and its scrape errors. */
    static final FamilyNames RESOURCE_FAMILIES = FamilyNames.prefixed("container_", "pod_", "node_",
            "scrape_error", "resource_scrape_error");

    private KubeletSources() {
    }

    public static List<MetricSource> create(KubeletConfig config, KubeletClient client, MetricsErrors errors) {
        List<MetricSource> sources = new ArrayList<>();
        if (!config.enabled()) {
            return sources;
        }
        if (config.cadvisor()) {
            UnaryOperator<Labels> path = pathLabel(config, CADVISOR);
            sources.add(new KubeletTextSource("cadvisor", CADVISOR, CADVISOR_FAMILIES, client, errors,
                    labels -> path.apply(KubeletLabels.cadvisor(labels))));
        }
        if (config.resource()) {
            sources.add(new KubeletTextSource("resource", RESOURCE, RESOURCE_FAMILIES, client, errors,
                    pathLabel(config, RESOURCE)));
        }
        if (config.summary()) {
            sources.add(new SummarySource(client, errors, pathLabel(config, SummarySource.PATH)));
        }
        if (config.kubelet()) {
            sources.add(new KubeletTextSource("kubelet", KUBELET, FamilyNames.any(), client, errors,
                    pathLabel(config, KUBELET)));
        }
        return sources;
    }

    private static UnaryOperator<Labels> pathLabel(KubeletConfig config, String path) {
        return config.pathLabel() ? KubeletLabels.metricsPath(path) : UnaryOperator.identity();
    }
}

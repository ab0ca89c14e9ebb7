package io.vedetta.agent.metrics.kubelet;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.function.UnaryOperator;

/** Label rewrites for kubelet series, so that every kubelet version yields the names kubernetes-mixin queries. */
public final class KubeletLabels {

    private KubeletLabels() {
    }

    /**
     * Renames the labels of kubelets before 1.16 ({@code container_name}, {@code pod_name}) to {@code container}
     * and {@code pod}. Kubelets 1.14 and 1.15 send both spellings; the new one wins.
     */
    public static Labels cadvisor(Labels labels) {
        if (!labels.contains("container_name") && !labels.contains("pod_name")) {
            return labels;
        }
        Labels.Builder b = Labels.builder();
        labels.forEach(l -> {
            String name = switch (l.getName()) {
                case "container_name" -> "container";
                case "pod_name" -> "pod";
                default -> l.getName();
            };
            if (name.equals(l.getName()) || !labels.contains(name)) {
                b.label(name, l.getValue());
            }
        });
        return b.build();
    }

    /** Adds {@code metrics_path="<path>"} unless the series has one, as kube-prometheus' relabelling does. */
    public static UnaryOperator<Labels> metricsPath(String path) {
        return labels -> labels.contains("metrics_path") ? labels : labels.add("metrics_path", path);
    }
}

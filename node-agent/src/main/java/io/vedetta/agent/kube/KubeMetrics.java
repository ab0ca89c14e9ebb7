package io.vedetta.agent.kube;

import io.vedetta.agent.metrics.MetricName;
import java.util.List;

/**
 * Catalogue of the kube concern's metrics. The {@code kube_pod_*} names, labels, help texts and value
 * semantics are kube-state-metrics' own (v2), restricted to the pods of this node (and, on the elected cluster
 * collector, the pods of no node), so kubernetes-mixin dashboards and alerts work unchanged.
 */
public final class KubeMetrics {

    private KubeMetrics() {
    }

    public static final MetricName POD_INFO = new MetricName("kube_pod_info", MetricName.Type.INFO,
            "Information about pod.", "", List.of("namespace", "pod", "uid", "host_ip", "pod_ip", "node",
                    "created_by_kind", "created_by_name", "priority_class", "host_network"));

    public static final MetricName POD_STATUS_PHASE = MetricName.gauge("kube_pod_status_phase",
            "The pods current phase.", "", "namespace", "pod", "uid", "phase");

    /**
     * One series per owner reference; a pod without owners has one with the three labels empty, as
     * kube-state-metrics writes it since v2.8.0 (kubernetes/kube-state-metrics#1923; "&lt;none&gt;" before),
     * which is what kubernetes-mixin's {@code workload_type="barepod"} rule selects.
     */
    public static final MetricName POD_OWNER = MetricName.gauge("kube_pod_owner",
            "Information about the Pod's owner.", "", "namespace", "pod", "uid", "owner_kind", "owner_name",
            "owner_is_controller");

    public static final MetricName POD_STATUS_READY = MetricName.gauge("kube_pod_status_ready",
            "Describes whether the pod is ready to serve requests.", "", "namespace", "pod", "uid", "condition");

    public static final MetricName POD_STATUS_REASON = MetricName.gauge("kube_pod_status_reason",
            "The pod status reasons", "", "namespace", "pod", "uid", "reason");

    public static final MetricName CONTAINER_RESTARTS = MetricName.counter("kube_pod_container_status_restarts_total",
            "The number of container restarts per container.", "", "namespace", "pod", "uid", "container");

    public static final MetricName CONTAINER_WAITING_REASON = MetricName.gauge(
            "kube_pod_container_status_waiting_reason",
            "Describes the reason the container is currently in waiting state.", "",
            "namespace", "pod", "uid", "container", "reason");

    public static final MetricName CONTAINER_TERMINATED_REASON = MetricName.gauge(
            "kube_pod_container_status_terminated_reason",
            "Describes the reason the container is currently in terminated state.", "",
            "namespace", "pod", "uid", "container", "reason");

    public static final MetricName CONTAINER_LAST_TERMINATED_REASON = MetricName.gauge(
            "kube_pod_container_status_last_terminated_reason",
            "Describes the last reason the container was in terminated state.", "",
            "namespace", "pod", "uid", "container", "reason");

    public static final MetricName CONTAINER_READY = MetricName.gauge("kube_pod_container_status_ready",
            "Describes whether the containers readiness check succeeded.", "",
            "namespace", "pod", "uid", "container");

    public static final MetricName CONTAINER_RESOURCE_REQUESTS = MetricName.gauge(
            "kube_pod_container_resource_requests",
            "The number of requested request resource by a container. It is recommended to use the"
                    + " kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.", "",
            "namespace", "pod", "uid", "container", "node", "resource", "unit");

    public static final MetricName CONTAINER_RESOURCE_LIMITS = MetricName.gauge(
            "kube_pod_container_resource_limits",
            "The number of requested limit resource by a container. It is recommended to use the"
                    + " kube_pod_resource_limits metric exposed by kube-scheduler instead, as it is more precise.", "",
            "namespace", "pod", "uid", "container", "node", "resource", "unit");

    public static final MetricName POD_STATUS_SCHEDULED = MetricName.gauge("kube_pod_status_scheduled",
            "Describes the status of the scheduling process for the pod.", "", "namespace", "pod", "uid", "condition");

    public static final MetricName POD_STATUS_UNSCHEDULABLE = MetricName.gauge("kube_pod_status_unschedulable",
            "Describes the unschedulable status for the pod.", "", "namespace", "pod", "uid");

    public static final MetricName POD_STATUS_SCHEDULED_TIME = MetricName.gauge("kube_pod_status_scheduled_time",
            "Unix timestamp when pod moved into scheduled status", "", "namespace", "pod", "uid");

    public static final MetricName PODS = MetricName.gauge("vedetta_kube_pods",
            "Pods of this node known to the agent (deleted pods in their metadata grace not counted).", "");

    public static final MetricName SYNCED = MetricName.gauge("vedetta_kube_synced",
            "1 when the informers have listed the pods of this node (and namespaces, if enabled) and are watching, else 0.", "");

    public static final MetricName WATCH_ERRORS = MetricName.counter("vedetta_kube_watch_errors_total",
            "Failed lists and watches of the Kubernetes API, by cause; each is retried with backoff.", "",
            "reason");

    public static final List<MetricName> ALL = List.of(POD_INFO, POD_OWNER, POD_STATUS_PHASE, POD_STATUS_READY,
            POD_STATUS_REASON, CONTAINER_RESTARTS,
            CONTAINER_WAITING_REASON, CONTAINER_TERMINATED_REASON, CONTAINER_LAST_TERMINATED_REASON,
            CONTAINER_READY, CONTAINER_RESOURCE_REQUESTS, CONTAINER_RESOURCE_LIMITS, POD_STATUS_SCHEDULED,
            POD_STATUS_UNSCHEDULABLE, POD_STATUS_SCHEDULED_TIME, PODS, SYNCED, WATCH_ERRORS);

    /** The name a client_java snapshot takes: the exposition formats add {@code _total} and {@code _info} back. */
    static String snapshotName(MetricName metric) {
        String name = metric.name();
        return switch (metric.type()) {
            case COUNTER -> strip(name, "_total");
            case INFO -> strip(name, "_info");
            default -> name;
        };
    }

    private static String strip(String name, String suffix) {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }
}

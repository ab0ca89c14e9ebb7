package io.vedetta.agent.metrics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What kube-prometheus drops from the kubelet, so that {@code metrics.filter.dropContainerSeriesWithoutPod} serves
 * exactly the series a kube-prometheus user has: the {@code action: drop} metricRelabelings of its kubelet
 * ServiceMonitor, {@code manifests/kubernetesControlPlane-serviceMonitorKubelet.yaml} of
 * prometheus-operator/kube-prometheus at commit 4d719f1dea8853540b3823ab1fbe6be74a9953b3 (2026-08-10). The
 * regular expressions are theirs, anchored at both ends as Prometheus anchors them, and like Prometheus they are
 * matched against sample names ({@code x_sum}, {@code x_bucket} are names of their own).
 *
 * <p>The ServiceMonitor gives the {@code /metrics/cadvisor} endpoint three rules and {@code /metrics} eight; each
 * names families only its own endpoint serves, so the agent applies all of them to every source, which also
 * treats {@code container_*} series read from cgroups or {@code /stats/summary} as cAdvisor's would be treated.
 */
public final class KubePrometheusDrops {

    /** {@code /metrics/cadvisor}: families dropped whatever their labels. */
    static final String CADVISOR_FAMILIES =
            "container_(network_tcp_usage_total|network_udp_usage_total|tasks_state|cpu_load_average_10s)";

    /** {@code /metrics/cadvisor}: families whose series are dropped when both {@code pod} and {@code namespace} are empty. */
    static final String WITHOUT_POD_FAMILIES = "(container_spec_.*|container_file_descriptors|container_sockets"
            + "|container_threads_max|container_threads|container_start_time_seconds|container_last_seen)";
    private static final Pattern WITHOUT_POD = Pattern.compile(WITHOUT_POD_FAMILIES);

    /** {@code /metrics/cadvisor}: families whose series are dropped when {@code container} is not empty. */
    static final String WITH_CONTAINER_FAMILIES = "(container_blkio_device_usage_total)";
    private static final Pattern WITH_CONTAINER = Pattern.compile(WITH_CONTAINER_FAMILIES);

    /** {@code /metrics}: families dropped whatever their labels (deprecated kubelet and control-plane families). */
    static final List<String> KUBELET_FAMILIES = List.of(
            "kubelet_(pod_worker_latency_microseconds|pod_start_latency_microseconds"
                    + "|cgroup_manager_latency_microseconds|pod_worker_start_latency_microseconds"
                    + "|pleg_relist_latency_microseconds|pleg_relist_interval_microseconds|runtime_operations"
                    + "|runtime_operations_latency_microseconds|runtime_operations_errors"
                    + "|eviction_stats_age_microseconds|device_plugin_registration_count"
                    + "|device_plugin_alloc_latency_microseconds|network_plugin_operations_latency_microseconds)",
            "scheduler_(e2e_scheduling_latency_microseconds|scheduling_algorithm_predicate_evaluation"
                    + "|scheduling_algorithm_priority_evaluation|scheduling_algorithm_preemption_evaluation"
                    + "|scheduling_algorithm_latency_microseconds|binding_latency_microseconds"
                    + "|scheduling_latency_seconds)",
            "apiserver_(request_count|request_latencies|request_latencies_summary|dropped_requests"
                    + "|storage_data_key_generation_latencies_microseconds|storage_transformation_failures_total"
                    + "|storage_transformation_latencies_microseconds|proxy_tunnel_sync_latency_secs|longrunning_gauge"
                    + "|registered_watchers|storage_db_total_size_in_bytes|flowcontrol_request_concurrency_limit"
                    + "|flowcontrol_request_concurrency_in_use|storage_objects)",
            "kubelet_docker_(operations|operations_latency_microseconds|operations_errors"
                    + "|operations_timeout)",
            "reflector_(items_per_list|items_per_watch|list_duration_seconds|lists_total|short_watches_total"
                    + "|watch_duration_seconds|watches_total)",
            "etcd_(helper_cache_hit_count|helper_cache_miss_count|helper_cache_entry_count|object_counts"
                    + "|request_cache_get_latencies_summary|request_cache_add_latencies_summary"
                    + "|request_latencies_summary)",
            "transformation_(transformation_latencies_microseconds|failures_total)",
            "(admission_quota_controller_adds|admission_quota_controller_depth"
                    + "|admission_quota_controller_longest_running_processor_microseconds"
                    + "|admission_quota_controller_queue_latency|admission_quota_controller_unfinished_work_seconds"
                    + "|admission_quota_controller_work_duration|APIServiceOpenAPIAggregationControllerQueue1_adds"
                    + "|APIServiceOpenAPIAggregationControllerQueue1_depth"
                    + "|APIServiceOpenAPIAggregationControllerQueue1_longest_running_processor_microseconds"
                    + "|APIServiceOpenAPIAggregationControllerQueue1_queue_latency"
                    + "|APIServiceOpenAPIAggregationControllerQueue1_retries"
                    + "|APIServiceOpenAPIAggregationControllerQueue1_unfinished_work_seconds"
                    + "|APIServiceOpenAPIAggregationControllerQueue1_work_duration"
                    + "|APIServiceRegistrationController_adds|APIServiceRegistrationController_depth"
                    + "|APIServiceRegistrationController_longest_running_processor_microseconds"
                    + "|APIServiceRegistrationController_queue_latency|APIServiceRegistrationController_retries"
                    + "|APIServiceRegistrationController_unfinished_work_seconds"
                    + "|APIServiceRegistrationController_work_duration|autoregister_adds|autoregister_depth"
                    + "|autoregister_longest_running_processor_microseconds|autoregister_queue_latency"
                    + "|autoregister_retries|autoregister_unfinished_work_seconds|autoregister_work_duration"
                    + "|AvailableConditionController_adds|AvailableConditionController_depth"
                    + "|AvailableConditionController_longest_running_processor_microseconds"
                    + "|AvailableConditionController_queue_latency|AvailableConditionController_retries"
                    + "|AvailableConditionController_unfinished_work_seconds"
                    + "|AvailableConditionController_work_duration|crd_autoregistration_controller_adds"
                    + "|crd_autoregistration_controller_depth"
                    + "|crd_autoregistration_controller_longest_running_processor_microseconds"
                    + "|crd_autoregistration_controller_queue_latency|crd_autoregistration_controller_retries"
                    + "|crd_autoregistration_controller_unfinished_work_seconds"
                    + "|crd_autoregistration_controller_work_duration|crdEstablishing_adds|crdEstablishing_depth"
                    + "|crdEstablishing_longest_running_processor_microseconds|crdEstablishing_queue_latency"
                    + "|crdEstablishing_retries|crdEstablishing_unfinished_work_seconds|crdEstablishing_work_duration"
                    + "|crd_finalizer_adds|crd_finalizer_depth|crd_finalizer_longest_running_processor_microseconds"
                    + "|crd_finalizer_queue_latency|crd_finalizer_retries|crd_finalizer_unfinished_work_seconds"
                    + "|crd_finalizer_work_duration|crd_naming_condition_controller_adds"
                    + "|crd_naming_condition_controller_depth"
                    + "|crd_naming_condition_controller_longest_running_processor_microseconds"
                    + "|crd_naming_condition_controller_queue_latency|crd_naming_condition_controller_retries"
                    + "|crd_naming_condition_controller_unfinished_work_seconds"
                    + "|crd_naming_condition_controller_work_duration|crd_openapi_controller_adds"
                    + "|crd_openapi_controller_depth|crd_openapi_controller_longest_running_processor_microseconds"
                    + "|crd_openapi_controller_queue_latency|crd_openapi_controller_retries"
                    + "|crd_openapi_controller_unfinished_work_seconds|crd_openapi_controller_work_duration"
                    + "|DiscoveryController_adds|DiscoveryController_depth"
                    + "|DiscoveryController_longest_running_processor_microseconds|DiscoveryController_queue_latency"
                    + "|DiscoveryController_retries|DiscoveryController_unfinished_work_seconds"
                    + "|DiscoveryController_work_duration|kubeproxy_sync_proxy_rules_latency_microseconds"
                    + "|non_structural_schema_condition_controller_adds"
                    + "|non_structural_schema_condition_controller_depth"
                    + "|non_structural_schema_condition_controller_longest_running_processor_microseconds"
                    + "|non_structural_schema_condition_controller_queue_latency"
                    + "|non_structural_schema_condition_controller_retries"
                    + "|non_structural_schema_condition_controller_unfinished_work_seconds"
                    + "|non_structural_schema_condition_controller_work_duration|rest_client_request_latency_seconds"
                    + "|storage_operation_errors_total|storage_operation_status_count)");

    private static final Pattern DROPPED_FAMILIES = Pattern.compile("(?:" + CADVISOR_FAMILIES + ")|"
            + String.join("|", KUBELET_FAMILIES.stream().map(r -> "(?:" + r + ")").toList()));

    /** What happens to the series of one family, given its labels. */
    public enum SeriesRule {
        KEEP,
        /** Dropped when both {@code pod} and {@code namespace} are empty. */
        DROP_WITHOUT_POD_AND_NAMESPACE,
        /** Dropped when {@code container} is not empty. */
        DROP_WITH_CONTAINER
    }

    private KubePrometheusDrops() {
    }

    /** Whether every sample named {@code sampleName} is dropped, whatever its labels. */
    public static boolean dropsSamples(String sampleName) {
        return DROPPED_FAMILIES.matcher(sampleName).matches();
    }

    /** The label-dependent rule for the samples named {@code sampleName}. */
    public static SeriesRule seriesRule(String sampleName) {
        if (!sampleName.startsWith("container_")) {
            return SeriesRule.KEEP;
        }
        if (WITHOUT_POD.matcher(sampleName).matches()) {
            return SeriesRule.DROP_WITHOUT_POD_AND_NAMESPACE;
        }
        return WITH_CONTAINER.matcher(sampleName).matches() ? SeriesRule.DROP_WITH_CONTAINER : SeriesRule.KEEP;
    }
}

package io.vedetta.agent.cluster.state;

import io.vedetta.agent.metrics.MetricName;
import java.util.List;

/**
 * Catalogue of the cluster collector's series: kube-state-metrics v2's names, label names and value semantics for
 * the workloads, nodes, namespaces and claims of the whole cluster, exposed by the elected agent only. Label order
 * here is the order writers pass values in; exposition sorts them.
 */
public final class ClusterSeries {

    private ClusterSeries() {
    }

    private static MetricName g(String name, String help, String... labels) {
        return MetricName.gauge(name, help, "", labels);
    }

    private static final String[] DEPLOYMENT = {"namespace", "deployment"};
    private static final String[] STATEFULSET = {"namespace", "statefulset"};
    private static final String[] DAEMONSET = {"namespace", "daemonset"};
    private static final String[] REPLICASET = {"namespace", "replicaset"};
    private static final String[] JOB = {"namespace", "job_name"};
    private static final String[] CRONJOB = {"namespace", "cronjob"};
    private static final String[] NODE = {"node"};
    private static final String[] NAMESPACE = {"namespace"};
    private static final String[] PVC = {"namespace", "persistentvolumeclaim"};
    private static final String[] HPA = {"namespace", "horizontalpodautoscaler"};
    private static final String[] PDB = {"namespace", "poddisruptionbudget"};
    private static final String[] RESOURCEQUOTA_KEY = {"namespace", "resourcequota"};
    private static final String[] PV = {"persistentvolume"};

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    // Deployments.
    public static final MetricName DEPLOYMENT_CREATED = g("kube_deployment_created", "Unix creation timestamp", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_SPEC_REPLICAS = g("kube_deployment_spec_replicas",
            "Number of desired pods for a deployment.", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_SPEC_PAUSED = g("kube_deployment_spec_paused",
            "Whether the deployment is paused and will not be processed by the deployment controller.", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_MAX_UNAVAILABLE = g(
            "kube_deployment_spec_strategy_rollingupdate_max_unavailable",
            "Maximum number of unavailable replicas during a rolling update of a deployment.", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_MAX_SURGE = g("kube_deployment_spec_strategy_rollingupdate_max_surge",
            "Maximum number of replicas that can be scheduled above the desired number of replicas during a rolling"
                    + " update of a deployment.", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_REPLICAS = g("kube_deployment_status_replicas",
            "The number of replicas per deployment.", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_READY = g("kube_deployment_status_replicas_ready",
            "The number of ready replicas per deployment.", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_AVAILABLE = g("kube_deployment_status_replicas_available",
            "The number of available replicas per deployment.", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_UNAVAILABLE = g("kube_deployment_status_replicas_unavailable",
            "The number of unavailable replicas per deployment.", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_UPDATED = g("kube_deployment_status_replicas_updated",
            "The number of updated replicas per deployment.", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_OBSERVED_GENERATION = g("kube_deployment_status_observed_generation",
            "The generation observed by the deployment controller.", DEPLOYMENT);
    public static final MetricName DEPLOYMENT_CONDITION = g("kube_deployment_status_condition",
            "The current status conditions of a deployment.", with(DEPLOYMENT, "reason", "condition", "status"));
    public static final MetricName DEPLOYMENT_GENERATION = g("kube_deployment_metadata_generation",
            "Sequence number representing a specific generation of the desired state.", DEPLOYMENT);

    // StatefulSets.
    public static final MetricName STATEFULSET_CREATED = g("kube_statefulset_created", "Unix creation timestamp",
            STATEFULSET);
    public static final MetricName STATEFULSET_REPLICAS = g("kube_statefulset_status_replicas",
            "The number of replicas per StatefulSet.", STATEFULSET);
    public static final MetricName STATEFULSET_CURRENT = g("kube_statefulset_status_replicas_current",
            "The number of current replicas per StatefulSet.", STATEFULSET);
    public static final MetricName STATEFULSET_READY = g("kube_statefulset_status_replicas_ready",
            "The number of ready replicas per StatefulSet.", STATEFULSET);
    public static final MetricName STATEFULSET_AVAILABLE = g("kube_statefulset_status_replicas_available",
            "The number of available replicas per StatefulSet.", STATEFULSET);
    public static final MetricName STATEFULSET_UPDATED = g("kube_statefulset_status_replicas_updated",
            "The number of updated replicas per StatefulSet.", STATEFULSET);
    public static final MetricName STATEFULSET_OBSERVED_GENERATION = g("kube_statefulset_status_observed_generation",
            "The generation observed by the StatefulSet controller.", STATEFULSET);
    public static final MetricName STATEFULSET_SPEC_REPLICAS = g("kube_statefulset_replicas",
            "Number of desired pods for a StatefulSet.", STATEFULSET);
    public static final MetricName STATEFULSET_GENERATION = g("kube_statefulset_metadata_generation",
            "Sequence number representing a specific generation of the desired state for the StatefulSet.",
            STATEFULSET);
    public static final MetricName STATEFULSET_CURRENT_REVISION = g("kube_statefulset_status_current_revision",
            "Indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).",
            with(STATEFULSET, "revision"));
    public static final MetricName STATEFULSET_UPDATE_REVISION = g("kube_statefulset_status_update_revision",
            "Indicates the version of the StatefulSet used to generate Pods in the sequence"
                    + " [replicas-updatedReplicas,replicas)", with(STATEFULSET, "revision"));

    // DaemonSets.
    public static final MetricName DAEMONSET_CREATED = g("kube_daemonset_created", "Unix creation timestamp", DAEMONSET);
    public static final MetricName DAEMONSET_CURRENT = g("kube_daemonset_status_current_number_scheduled",
            "The number of nodes running at least one daemon pod and are supposed to.", DAEMONSET);
    public static final MetricName DAEMONSET_DESIRED = g("kube_daemonset_status_desired_number_scheduled",
            "The number of nodes that should be running the daemon pod.", DAEMONSET);
    public static final MetricName DAEMONSET_AVAILABLE = g("kube_daemonset_status_number_available",
            "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running"
                    + " and available", DAEMONSET);
    public static final MetricName DAEMONSET_MISSCHEDULED = g("kube_daemonset_status_number_misscheduled",
            "The number of nodes running a daemon pod but are not supposed to.", DAEMONSET);
    public static final MetricName DAEMONSET_READY = g("kube_daemonset_status_number_ready",
            "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running"
                    + " and ready.", DAEMONSET);
    public static final MetricName DAEMONSET_UNAVAILABLE = g("kube_daemonset_status_number_unavailable",
            "The number of nodes that should be running the daemon pod and have none of the daemon pod running and"
                    + " available", DAEMONSET);
    public static final MetricName DAEMONSET_OBSERVED_GENERATION = g("kube_daemonset_status_observed_generation",
            "The most recent generation observed by the daemon set controller.", DAEMONSET);
    public static final MetricName DAEMONSET_UPDATED = g("kube_daemonset_status_updated_number_scheduled",
            "The total number of nodes that are running updated daemon pod", DAEMONSET);
    public static final MetricName DAEMONSET_GENERATION = g("kube_daemonset_metadata_generation",
            "Sequence number representing a specific generation of the desired state.", DAEMONSET);

    // ReplicaSets.
    public static final MetricName REPLICASET_CREATED = g("kube_replicaset_created", "Unix creation timestamp",
            REPLICASET);
    public static final MetricName REPLICASET_REPLICAS = g("kube_replicaset_status_replicas",
            "The number of replicas per ReplicaSet.", REPLICASET);
    public static final MetricName REPLICASET_FULLY_LABELED = g("kube_replicaset_status_fully_labeled_replicas",
            "The number of fully labeled replicas per ReplicaSet.", REPLICASET);
    public static final MetricName REPLICASET_READY = g("kube_replicaset_status_ready_replicas",
            "The number of ready replicas per ReplicaSet.", REPLICASET);
    public static final MetricName REPLICASET_OBSERVED_GENERATION = g("kube_replicaset_status_observed_generation",
            "The generation observed by the ReplicaSet controller.", REPLICASET);
    public static final MetricName REPLICASET_SPEC_REPLICAS = g("kube_replicaset_spec_replicas",
            "Number of desired pods for a ReplicaSet.", REPLICASET);
    public static final MetricName REPLICASET_GENERATION = g("kube_replicaset_metadata_generation",
            "Sequence number representing a specific generation of the desired state.", REPLICASET);
    public static final MetricName REPLICASET_OWNER = g("kube_replicaset_owner",
            "Information about the ReplicaSet's owner.", with(REPLICASET, "owner_kind", "owner_name",
                    "owner_is_controller"));

    // Jobs.
    public static final MetricName JOB_INFO = g("kube_job_info", "Information about job.", JOB);
    public static final MetricName JOB_CREATED = g("kube_job_created", "Unix creation timestamp", JOB);
    public static final MetricName JOB_OWNER = g("kube_job_owner", "Information about the Job's owner.",
            with(JOB, "owner_kind", "owner_name", "owner_is_controller"));
    public static final MetricName JOB_PARALLELISM = g("kube_job_spec_parallelism",
            "The maximum desired number of pods the job should run at any given time.", JOB);
    public static final MetricName JOB_COMPLETIONS = g("kube_job_spec_completions",
            "The desired number of successfully finished pods the job should be run with.", JOB);
    public static final MetricName JOB_ACTIVE_DEADLINE = g("kube_job_spec_active_deadline_seconds",
            "The duration in seconds relative to the startTime that the job may be active before the system tries to"
                    + " terminate it.", JOB);
    public static final MetricName JOB_ACTIVE = g("kube_job_status_active", "The number of actively running pods.", JOB);
    public static final MetricName JOB_SUCCEEDED = g("kube_job_status_succeeded",
            "The number of pods which reached Phase Succeeded.", JOB);
    public static final MetricName JOB_FAILED_PODS = g("kube_job_status_failed",
            "The number of pods which reached Phase Failed and the reason for failure.", with(JOB, "reason"));
    public static final MetricName JOB_START_TIME = g("kube_job_status_start_time",
            "StartTime represents time when the job was acknowledged by the Job Manager.", JOB);
    public static final MetricName JOB_COMPLETION_TIME = g("kube_job_status_completion_time",
            "CompletionTime represents time when the job was completed.", JOB);
    public static final MetricName JOB_COMPLETE = g("kube_job_complete", "The job has completed its execution.",
            with(JOB, "condition"));
    public static final MetricName JOB_FAILED = g("kube_job_failed", "The job has failed its execution.",
            with(JOB, "condition"));

    // CronJobs.
    public static final MetricName CRONJOB_INFO = g("kube_cronjob_info", "Info about cronjob.",
            with(CRONJOB, "schedule", "concurrency_policy", "timezone"));
    public static final MetricName CRONJOB_CREATED = g("kube_cronjob_created", "Unix creation timestamp", CRONJOB);
    public static final MetricName CRONJOB_ACTIVE = g("kube_cronjob_status_active",
            "Active holds pointers to currently running jobs.", CRONJOB);
    public static final MetricName CRONJOB_LAST_SCHEDULE = g("kube_cronjob_status_last_schedule_time",
            "LastScheduleTime keeps information of when was the last time the job was successfully scheduled.",
            CRONJOB);
    public static final MetricName CRONJOB_LAST_SUCCESS = g("kube_cronjob_status_last_successful_time",
            "LastSuccessfulTime keeps information of when was the last time the job was completed successfully.",
            CRONJOB);
    public static final MetricName CRONJOB_SUSPEND = g("kube_cronjob_spec_suspend",
            "Suspend flag tells the controller to suspend subsequent executions.", CRONJOB);
    public static final MetricName CRONJOB_STARTING_DEADLINE = g("kube_cronjob_spec_starting_deadline_seconds",
            "Deadline in seconds for starting the job if it misses scheduled time for any reason.", CRONJOB);
    public static final MetricName CRONJOB_NEXT_SCHEDULE = g("kube_cronjob_next_schedule_time",
            "Next time the cronjob should be scheduled. The time after lastScheduleTime, or after the cron job's"
                    + " creation time if it's never been scheduled. Use this to determine if the job is delayed.",
            CRONJOB);
    public static final MetricName CRONJOB_RESOURCE_VERSION = g("kube_cronjob_metadata_resource_version",
            "Resource version representing a specific version of the cronjob.", CRONJOB);
    public static final MetricName CRONJOB_SUCCESSFUL_HISTORY = g("kube_cronjob_spec_successful_job_history_limit",
            "Successful job history limit tells the controller how many completed jobs should be preserved.", CRONJOB);
    public static final MetricName CRONJOB_FAILED_HISTORY = g("kube_cronjob_spec_failed_job_history_limit",
            "Failed job history limit tells the controller how many failed jobs should be preserved.", CRONJOB);

    // Nodes.
    public static final MetricName NODE_INFO = g("kube_node_info", "Information about a cluster node.",
            with(NODE, "kernel_version", "os_image", "container_runtime_version", "kubelet_version",
                    "kubeproxy_version", "pod_cidr", "provider_id", "system_uuid", "internal_ip"));
    public static final MetricName NODE_CREATED = g("kube_node_created", "Unix creation timestamp", NODE);
    public static final MetricName NODE_UNSCHEDULABLE = g("kube_node_spec_unschedulable",
            "Whether a node can schedule new pods.", NODE);
    public static final MetricName NODE_TAINT = g("kube_node_spec_taint", "The taint of a cluster node.",
            with(NODE, "key", "value", "effect"));
    public static final MetricName NODE_ROLE = g("kube_node_role", "The role of a cluster node.", with(NODE, "role"));
    public static final MetricName NODE_CONDITION = g("kube_node_status_condition",
            "The condition of a cluster node.", with(NODE, "condition", "status"));
    public static final MetricName NODE_CAPACITY = g("kube_node_status_capacity",
            "The capacity for different resources of a node.", with(NODE, "resource", "unit"));
    public static final MetricName NODE_ALLOCATABLE = g("kube_node_status_allocatable",
            "The allocatable for different resources of a node that are available for scheduling.",
            with(NODE, "resource", "unit"));

    // HorizontalPodAutoscalers.
    public static final MetricName HPA_GENERATION = g("kube_horizontalpodautoscaler_metadata_generation",
            "The generation observed by the HorizontalPodAutoscaler controller.", HPA);
    public static final MetricName HPA_MIN_REPLICAS = g("kube_horizontalpodautoscaler_spec_min_replicas",
            "Lower limit for the number of pods that can be set by the autoscaler, default 1.", HPA);
    public static final MetricName HPA_MAX_REPLICAS = g("kube_horizontalpodautoscaler_spec_max_replicas",
            "Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than"
                    + " MinReplicas.", HPA);
    public static final MetricName HPA_CURRENT_REPLICAS = g("kube_horizontalpodautoscaler_status_current_replicas",
            "Current number of replicas of pods managed by this autoscaler.", HPA);
    public static final MetricName HPA_DESIRED_REPLICAS = g("kube_horizontalpodautoscaler_status_desired_replicas",
            "Desired number of replicas of pods managed by this autoscaler.", HPA);
    public static final MetricName HPA_CONDITION = g("kube_horizontalpodautoscaler_status_condition",
            "The condition of this autoscaler.", with(HPA, "condition", "status"));

    // PodDisruptionBudgets.
    public static final MetricName PDB_CREATED = g("kube_poddisruptionbudget_created", "Unix creation timestamp", PDB);
    public static final MetricName PDB_CURRENT_HEALTHY = g("kube_poddisruptionbudget_status_current_healthy",
            "Current number of healthy pods", PDB);
    public static final MetricName PDB_DESIRED_HEALTHY = g("kube_poddisruptionbudget_status_desired_healthy",
            "Minimum desired number of healthy pods", PDB);
    public static final MetricName PDB_DISRUPTIONS_ALLOWED = g("kube_poddisruptionbudget_status_pod_disruptions_allowed",
            "Number of pod disruptions that are currently allowed", PDB);
    public static final MetricName PDB_EXPECTED_PODS = g("kube_poddisruptionbudget_status_expected_pods",
            "Total number of pods counted by this disruption budget", PDB);
    public static final MetricName PDB_OBSERVED_GENERATION = g("kube_poddisruptionbudget_status_observed_generation",
            "Most recent generation observed when updating this PDB status", PDB);

    // Namespaces.
    public static final MetricName NAMESPACE_CREATED = g("kube_namespace_created", "Unix creation timestamp",
            NAMESPACE);
    public static final MetricName NAMESPACE_PHASE = g("kube_namespace_status_phase",
            "kubernetes namespace status phase.", with(NAMESPACE, "phase"));

    // PersistentVolumeClaims.
    public static final MetricName PVC_INFO = g("kube_persistentvolumeclaim_info",
            "Information about persistent volume claim.", with(PVC, "storageclass", "volumename", "volumemode"));
    public static final MetricName PVC_PHASE = g("kube_persistentvolumeclaim_status_phase",
            "The phase the persistent volume claim is currently in.", with(PVC, "phase"));
    public static final MetricName PVC_STORAGE_REQUEST = g(
            "kube_persistentvolumeclaim_resource_requests_storage_bytes",
            "The capacity of storage requested by the persistent volume claim.", PVC);
    public static final MetricName PVC_ACCESS_MODE = g("kube_persistentvolumeclaim_access_mode",
            "The access mode(s) specified by the persistent volume claim.", with(PVC, "access_mode"));
    public static final MetricName PVC_CREATED = g("kube_persistentvolumeclaim_created", "Unix creation timestamp",
            PVC);

    // ResourceQuotas.
    public static final MetricName RESOURCEQUOTA = g("kube_resourcequota",
            "Information about resource quota.",
            with(RESOURCEQUOTA_KEY, "resource", "type"));
    public static final MetricName RESOURCEQUOTA_CREATED = g("kube_resourcequota_created", "Unix creation timestamp",
            RESOURCEQUOTA_KEY);

    // PersistentVolumes.
    public static final MetricName PV_PHASE = g("kube_persistentvolume_status_phase",
            "The phase indicates if a volume is available, bound to a claim, or released by a claim.",
            with(PV, "phase"));
    public static final MetricName PV_CAPACITY = g("kube_persistentvolume_capacity_bytes",
            "Persistentvolume capacity in bytes.", PV);
    /** kube-state-metrics' label per volume source, in its order; empty for the sources a volume is not. */
    public static final MetricName PV_INFO = g("kube_persistentvolume_info",
            "Information about persistentvolume.", with(PV, "storageclass", "gce_persistent_disk_name",
                    "ebs_volume_id", "azure_disk_name", "fc_wwids", "fc_lun", "fc_target_wwns", "iscsi_target_portal",
                    "iscsi_iqn", "iscsi_lun", "iscsi_initiator_name", "nfs_server", "nfs_path", "csi_driver",
                    "csi_volume_handle", "local_path", "local_fs", "host_path", "host_path_type"));
    public static final MetricName PV_CLAIM_REF = g("kube_persistentvolume_claim_ref",
            "Information about the Persistent Volume Claim Reference.", with(PV, "name", "claim_namespace"));

    // The collector's own.
    public static final MetricName OBJECTS = g("vedetta_cluster_objects",
            "Objects of each resource in the leader's cache (only the leader exposes it).", "resource");
    public static final MetricName SYNCED = g("vedetta_cluster_synced",
            "1 while the leader's watch of the resource has listed and is watching.", "resource");

    public static final List<MetricName> ALL = List.of(
            DEPLOYMENT_CREATED, DEPLOYMENT_SPEC_REPLICAS, DEPLOYMENT_SPEC_PAUSED, DEPLOYMENT_MAX_UNAVAILABLE,
            DEPLOYMENT_MAX_SURGE, DEPLOYMENT_REPLICAS, DEPLOYMENT_READY, DEPLOYMENT_AVAILABLE, DEPLOYMENT_UNAVAILABLE,
            DEPLOYMENT_UPDATED, DEPLOYMENT_OBSERVED_GENERATION, DEPLOYMENT_CONDITION, DEPLOYMENT_GENERATION,
            STATEFULSET_CREATED, STATEFULSET_REPLICAS, STATEFULSET_CURRENT, STATEFULSET_READY, STATEFULSET_AVAILABLE,
            STATEFULSET_UPDATED, STATEFULSET_OBSERVED_GENERATION, STATEFULSET_SPEC_REPLICAS, STATEFULSET_GENERATION,
            STATEFULSET_CURRENT_REVISION, STATEFULSET_UPDATE_REVISION,
            DAEMONSET_CREATED, DAEMONSET_CURRENT, DAEMONSET_DESIRED, DAEMONSET_AVAILABLE, DAEMONSET_MISSCHEDULED,
            DAEMONSET_READY, DAEMONSET_UNAVAILABLE, DAEMONSET_OBSERVED_GENERATION, DAEMONSET_UPDATED,
            DAEMONSET_GENERATION,
            REPLICASET_CREATED, REPLICASET_REPLICAS, REPLICASET_FULLY_LABELED, REPLICASET_READY,
            REPLICASET_OBSERVED_GENERATION, REPLICASET_SPEC_REPLICAS, REPLICASET_GENERATION, REPLICASET_OWNER,
            JOB_INFO, JOB_CREATED, JOB_OWNER, JOB_PARALLELISM, JOB_COMPLETIONS, JOB_ACTIVE_DEADLINE, JOB_ACTIVE,
            JOB_SUCCEEDED, JOB_FAILED_PODS, JOB_START_TIME, JOB_COMPLETION_TIME, JOB_COMPLETE, JOB_FAILED,
            CRONJOB_INFO, CRONJOB_CREATED, CRONJOB_ACTIVE, CRONJOB_LAST_SCHEDULE, CRONJOB_LAST_SUCCESS,
            CRONJOB_SUSPEND, CRONJOB_STARTING_DEADLINE, CRONJOB_NEXT_SCHEDULE, CRONJOB_RESOURCE_VERSION,
            CRONJOB_SUCCESSFUL_HISTORY, CRONJOB_FAILED_HISTORY,
            NODE_INFO, NODE_CREATED, NODE_UNSCHEDULABLE, NODE_TAINT, NODE_ROLE, NODE_CONDITION, NODE_CAPACITY,
            NODE_ALLOCATABLE,
            NAMESPACE_CREATED, NAMESPACE_PHASE,
            PVC_INFO, PVC_PHASE, PVC_STORAGE_REQUEST, PVC_ACCESS_MODE, PVC_CREATED,
            HPA_GENERATION, HPA_MIN_REPLICAS, HPA_MAX_REPLICAS, HPA_CURRENT_REPLICAS, HPA_DESIRED_REPLICAS, HPA_CONDITION,
            PDB_CREATED, PDB_CURRENT_HEALTHY, PDB_DESIRED_HEALTHY, PDB_DISRUPTIONS_ALLOWED, PDB_EXPECTED_PODS,
            PDB_OBSERVED_GENERATION,
            RESOURCEQUOTA, RESOURCEQUOTA_CREATED, PV_PHASE, PV_CAPACITY, PV_INFO, PV_CLAIM_REF,
            OBJECTS, SYNCED);
}

package io.vedetta.agent.cluster.state;

import io.vedetta.testing.Await;
import io.vedetta.agent.kube.KubeClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.config.KubernetesConfig;
import io.vedetta.agent.kube.WatchErrors;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each kube_* family from objects built in fabric8's mock API server (CRUD mode), in the states the alerts are
 * about, as the leader's watches store and expose them.
 */
class ClusterStateTest {

    private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
            new HashMap<>(), new KubernetesCrudDispatcher(), false);
    private final KubernetesClient client;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final ClusterState state;
    private volatile boolean leading = true;

    ClusterStateTest() {
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = KubeClients.reconfigured(server.createClient(new JdkHttpClientFactory()), b -> b);
        state = new ClusterState(client, new KubernetesConfig(true, "node-a", Optional.empty(), false,
                Duration.ofSeconds(120), Duration.ofMillis(100), Duration.ofSeconds(1)), executor,
                new WatchErrors(new SimpleMeterRegistry()));
    }

    @AfterEach
    void stop() {
        state.stopWatching();
        executor.shutdownNow();
        client.close();
        server.destroy();
    }

    private Exposition watchAndScrape() {
        state.startWatching();
        Await.until("every resource listed", state::listed);
        return Exposition.of(state.collector(() -> leading));
    }

    @Test
    void aDeploymentWhoseRolloutIsStuck() {
        ClusterObjects.stuckDeployment(client);
        Exposition e = watchAndScrape();

        String d = "deployment=\"web\",namespace=\"shop\"";
        assertEquals(3, e.value("kube_deployment_spec_replicas{" + d + "}"));
        assertEquals(1, e.value("kube_deployment_status_replicas_available{" + d + "}"));
        assertEquals(2, e.value("kube_deployment_status_replicas_unavailable{" + d + "}"));
        assertEquals(1, e.value("kube_deployment_status_replicas_updated{" + d + "}"));
        // The API server (and the mock) sets metadata.generation itself: 1 for a new object.
        assertEquals(1, e.value("kube_deployment_metadata_generation{" + d + "}"));
        assertEquals(4, e.value("kube_deployment_status_observed_generation{" + d + "}"));
        assertEquals(0, e.value("kube_deployment_spec_paused{" + d + "}"));
        // The API server (and the mock) sets creationTimestamp itself.
        assertEquals(Instant.now().getEpochSecond(), e.value("kube_deployment_created{" + d + "}"), 600);
        // 25% of 3: rounded down for unavailable, up for surge, as the controller applies them.
        assertEquals(0, e.value("kube_deployment_spec_strategy_rollingupdate_max_unavailable{" + d + "}"));
        assertEquals(1, e.value("kube_deployment_spec_strategy_rollingupdate_max_surge{" + d + "}"));
        String progressing = "kube_deployment_status_condition{condition=\"Progressing\"," + d
                + ",reason=\"ProgressDeadlineExceeded\",status=\"";
        assertEquals(1, e.value(progressing + "false\"}"));
        assertEquals(0, e.value(progressing + "true\"}"));
        assertEquals(0, e.value(progressing + "unknown\"}"));
        assertEquals(6, e.family("kube_deployment_status_condition").size());
    }

    @Test
    void replicaSetsNameTheirOwner() {
        ClusterObjects.replicaSetOf(client, "web", "web-5d9c7b");
        Exposition e = watchAndScrape();

        String r = "namespace=\"shop\",replicaset=\"web-5d9c7b\"";
        assertEquals(1, e.value("kube_replicaset_owner{namespace=\"shop\",owner_is_controller=\"true\","
                + "owner_kind=\"Deployment\",owner_name=\"web\",replicaset=\"web-5d9c7b\"}"), e.text);
        assertEquals(3, e.value("kube_replicaset_spec_replicas{" + r + "}"));
        assertEquals(1, e.value("kube_replicaset_status_ready_replicas{" + r + "}"));
        assertEquals(3, e.value("kube_replicaset_status_fully_labeled_replicas{" + r + "}"));
    }

    @Test
    void aStatefulSetInTheMiddleOfAnUpdate() {
        ClusterObjects.statefulSetMidUpdate(client);
        Exposition e = watchAndScrape();

        String s = "namespace=\"data\",statefulset=\"db\"";
        assertEquals(3, e.value("kube_statefulset_replicas{" + s + "}"));
        assertEquals(2, e.value("kube_statefulset_status_replicas_ready{" + s + "}"));
        assertEquals(1, e.value("kube_statefulset_status_replicas_updated{" + s + "}"));
        assertEquals(1, e.value("kube_statefulset_status_current_revision{namespace=\"data\",revision=\"db-5d8f\","
                + "statefulset=\"db\"}"));
        assertEquals(1, e.value("kube_statefulset_status_update_revision{namespace=\"data\",revision=\"db-7c9a\","
                + "statefulset=\"db\"}"));
    }

    @Test
    void aDaemonSetMissingANode() {
        ClusterObjects.daemonSetMissingOneNode(client);
        Exposition e = watchAndScrape();

        String d = "daemonset=\"proxy\",namespace=\"kube-system\"";
        assertEquals(3, e.value("kube_daemonset_status_desired_number_scheduled{" + d + "}"));
        assertEquals(2, e.value("kube_daemonset_status_current_number_scheduled{" + d + "}"));
        assertEquals(0, e.value("kube_daemonset_status_number_misscheduled{" + d + "}"));
        assertEquals(1, e.value("kube_daemonset_status_number_unavailable{" + d + "}"));
    }

    @Test
    void aJobThatFailedAndOneStillRunning() {
        ClusterObjects.failedJob(client);
        ClusterObjects.runningJob(client);
        Exposition e = watchAndScrape();

        String failed = "job_name=\"report-2911\",namespace=\"batch\"";
        assertEquals(1, e.value("kube_job_failed{condition=\"true\"," + failed + "}"));
        assertEquals(0, e.value("kube_job_failed{condition=\"false\"," + failed + "}"));
        assertEquals(1, e.value("kube_job_status_failed{" + failed + ",reason=\"BackoffLimitExceeded\"}"));
        assertEquals(0, e.value("kube_job_status_failed{" + failed + ",reason=\"DeadlineExceeded\"}"));
        assertEquals(1, e.value("kube_job_owner{" + failed + ",owner_is_controller=\"true\",owner_kind=\"CronJob\","
                + "owner_name=\"report\"}"));
        assertNull(e.value("kube_job_complete{condition=\"true\"," + failed + "}"), "no Complete condition, no series");

        String running = "job_name=\"migrate\",namespace=\"batch\"";
        assertEquals(1, e.value("kube_job_status_active{" + running + "}"));
        assertEquals(0, e.value("kube_job_status_failed{" + running + ",reason=\"\"}"));
        assertEquals(Instant.parse("2026-11-25T10:00:05Z").getEpochSecond(),
                e.value("kube_job_status_start_time{" + running + "}"));
        assertEquals(1, e.value("kube_job_owner{" + running + ",owner_is_controller=\"\","
                + "owner_kind=\"\",owner_name=\"\"}"), "a bare Job's owner labels are empty, as since KSM 2.8");
        assertNull(e.value("kube_job_status_completion_time{" + running + "}"));
    }

    @Test
    void aSuspendedCronJobHasNoNextScheduleTime() {
        ClusterObjects.cronJob(client, "report", false);
        ClusterObjects.cronJob(client, "cleanup", true);
        Exposition e = watchAndScrape();

        assertEquals(0, e.value("kube_cronjob_spec_suspend{cronjob=\"report\",namespace=\"batch\"}"));
        assertEquals(1, e.value("kube_cronjob_spec_suspend{cronjob=\"cleanup\",namespace=\"batch\"}"));
        // Every 15 minutes: the run after the last one, at 10:30, is at 10:45.
        assertEquals(Instant.parse("2026-11-25T10:45:00Z").getEpochSecond(),
                e.value("kube_cronjob_next_schedule_time{cronjob=\"report\",namespace=\"batch\"}"));
        assertNull(e.value("kube_cronjob_next_schedule_time{cronjob=\"cleanup\",namespace=\"batch\"}"));
        assertEquals(Instant.parse("2026-11-25T10:30:00Z").getEpochSecond(),
                e.value("kube_cronjob_status_last_schedule_time{cronjob=\"report\",namespace=\"batch\"}"));
        assertEquals(1, e.value("kube_cronjob_info{concurrency_policy=\"Forbid\",cronjob=\"report\",namespace=\"batch\","
                + "schedule=\"*/15 * * * *\",timezone=\"\"}"));
    }

    @Test
    void anUnreachableNodeAndATaintedControlPlane() {
        ClusterObjects.nodes(client);
        Exposition e = watchAndScrape();

        assertEquals(1, e.value("kube_node_status_condition{condition=\"Ready\",node=\"worker-1\",status=\"unknown\"}"));
        assertEquals(0, e.value("kube_node_status_condition{condition=\"Ready\",node=\"worker-1\",status=\"true\"}"));
        assertEquals(1, e.value("kube_node_status_condition{condition=\"Ready\",node=\"control-1\",status=\"true\"}"));
        assertEquals(1, e.value("kube_node_spec_taint{effect=\"NoSchedule\",key=\"node.kubernetes.io/unreachable\","
                + "node=\"worker-1\",value=\"\"}"));
        assertEquals(1, e.value("kube_node_spec_taint{effect=\"NoSchedule\","
                + "key=\"node-role.kubernetes.io/control-plane\",node=\"control-1\",value=\"\"}"));
        assertEquals(0, e.value("kube_node_spec_unschedulable{node=\"worker-1\"}"));
        assertEquals(1, e.value("kube_node_role{node=\"control-1\",role=\"control-plane\"}"));
        assertEquals(1, e.value("kube_node_role{node=\"control-1\",role=\"master\"}"));
        assertEquals(2, e.text.lines().filter(l -> l.startsWith("kube_node_role{")).count(),
                "one series per role, none for the workers: " + e.text);
        assertEquals(4, e.value("kube_node_status_capacity{node=\"worker-1\",resource=\"cpu\",unit=\"core\"}"));
        assertEquals(16L << 30, e.value("kube_node_status_capacity{node=\"worker-1\",resource=\"memory\",unit=\"byte\"}"));
        assertEquals(110, e.value("kube_node_status_capacity{node=\"worker-1\",resource=\"pods\",unit=\"integer\"}"));
        assertEquals(100L << 30, e.value("kube_node_status_capacity{node=\"worker-1\","
                + "resource=\"ephemeral_storage\",unit=\"byte\"}"));
        assertEquals(1, e.value("kube_node_status_capacity{node=\"worker-1\",resource=\"nvidia_com_gpu\","
                + "unit=\"integer\"}"));
        assertEquals(3.8, e.value("kube_node_status_allocatable{node=\"worker-1\",resource=\"cpu\",unit=\"core\"}"));
        assertEquals(1, e.value("kube_node_info{container_runtime_version=\"containerd://1.7.2\",internal_ip=\"10.0.0.11\","
                + "kernel_version=\"6.1.0\",kubelet_version=\"v1.31.2\",kubeproxy_version=\"v1.31.2\",node=\"worker-1\","
                + "os_image=\"Debian GNU/Linux 12\",pod_cidr=\"10.244.1.0/24\",provider_id=\"kind://worker-1\","
                + "system_uuid=\"uuid-1\"}"), e.text);
    }

    @Test
    void anAutoscalerAtItsMaximumAndABudgetShortOfHealthyPods() {
        ClusterObjects.autoscalersAndBudgets(client);
        Exposition e = watchAndScrape();

        String web = "horizontalpodautoscaler=\"web\",namespace=\"shop\"";
        assertEquals(2, e.value("kube_horizontalpodautoscaler_spec_min_replicas{" + web + "}"));
        assertEquals(10, e.value("kube_horizontalpodautoscaler_spec_max_replicas{" + web + "}"));
        assertEquals(10, e.value("kube_horizontalpodautoscaler_status_current_replicas{" + web + "}"));
        assertEquals(10, e.value("kube_horizontalpodautoscaler_status_desired_replicas{" + web + "}"));
        assertEquals(1, e.value("kube_horizontalpodautoscaler_metadata_generation{" + web + "}"), "set by the API server");
        assertEquals(1, e.value("kube_horizontalpodautoscaler_status_condition{condition=\"ScalingLimited\","
                + web + ",status=\"true\"}"));
        assertEquals(0, e.value("kube_horizontalpodautoscaler_status_condition{condition=\"ScalingLimited\","
                + web + ",status=\"false\"}"));
        String api = "horizontalpodautoscaler=\"api\",namespace=\"shop\"";
        assertNull(e.value("kube_horizontalpodautoscaler_spec_min_replicas{" + api + "}"), "unset, no series");
        assertEquals(0, e.value("kube_horizontalpodautoscaler_status_current_replicas{" + api + "}"));

        String db = "namespace=\"shop\",poddisruptionbudget=\"db\"";
        assertEquals(2, e.value("kube_poddisruptionbudget_status_current_healthy{" + db + "}"));
        assertEquals(3, e.value("kube_poddisruptionbudget_status_desired_healthy{" + db + "}"));
        assertEquals(0, e.value("kube_poddisruptionbudget_status_pod_disruptions_allowed{" + db + "}"));
        assertEquals(3, e.value("kube_poddisruptionbudget_status_expected_pods{" + db + "}"));
        assertEquals(1, e.value("kube_poddisruptionbudget_status_observed_generation{" + db + "}"));
        assertTrue(e.value("kube_poddisruptionbudget_created{" + db + "}") > 1.7e9, "the API server's creation time");
    }

    @Test
    void namespacesAndAPendingClaim() {
        ClusterObjects.namespaces(client);
        ClusterObjects.pendingClaim(client);
        Exposition e = watchAndScrape();

        assertEquals(1, e.value("kube_namespace_status_phase{namespace=\"old\",phase=\"Terminating\"}"));
        assertEquals(0, e.value("kube_namespace_status_phase{namespace=\"old\",phase=\"Active\"}"));
        String p = "namespace=\"data\",persistentvolumeclaim=\"db-data-0\"";
        assertEquals(1, e.value("kube_persistentvolumeclaim_status_phase{" + p + ",phase=\"Pending\"}"));
        assertEquals(0, e.value("kube_persistentvolumeclaim_status_phase{" + p + ",phase=\"Bound\"}"));
        assertEquals(10L << 30, e.value("kube_persistentvolumeclaim_resource_requests_storage_bytes{" + p + "}"));
        assertEquals(1, e.value("kube_persistentvolumeclaim_info{" + p + ",storageclass=\"fast\",volumemode=\"\","
                + "volumename=\"\"}"));
        assertEquals(1, e.value("kube_persistentvolumeclaim_access_mode{access_mode=\"ReadWriteOnce\"," + p + "}"));
    }

    @Test
    void aQuotaUsedUpAndOverItsLimitByResourceAndType() {
        ClusterObjects.exhaustedQuota(client);
        Exposition e = watchAndScrape();

        String q = "namespace=\"shop\",resource=\"";
        String compute = "\",resourcequota=\"compute\",type=\"";
        assertEquals(4, e.value("kube_resourcequota{" + q + "requests.cpu" + compute + "hard\"}"));
        assertEquals(4, e.value("kube_resourcequota{" + q + "requests.cpu" + compute + "used\"}"), "4000m is 4 cores");
        assertEquals(8L << 30, e.value("kube_resourcequota{" + q + "requests.memory" + compute + "hard\"}"));
        assertEquals(2L << 30, e.value("kube_resourcequota{" + q + "requests.memory" + compute + "used\"}"));
        assertEquals(12, e.value("kube_resourcequota{" + q + "count/pods" + compute + "used\"}"),
                "the resource named as the quota names it, not made a label-safe name");
        assertEquals(10, e.value("kube_resourcequota{" + q + "count/pods" + compute + "hard\"}"));
        assertTrue(e.value("kube_resourcequota_created{namespace=\"shop\",resourcequota=\"compute\"}") > 1.7e9);
    }

    @Test
    void aFailedVolumeItsPhasesAndCapacity() {
        ClusterObjects.volumes(client);
        Exposition e = watchAndScrape();

        assertEquals(1, e.value("kube_persistentvolume_status_phase{persistentvolume=\"pv-failed\",phase=\"Failed\"}"));
        for (String phase : List.of("Pending", "Available", "Bound", "Released")) {
            assertEquals(0, e.value("kube_persistentvolume_status_phase{persistentvolume=\"pv-failed\",phase=\""
                    + phase + "\"}"), phase);
        }
        assertEquals(1, e.value("kube_persistentvolume_status_phase{persistentvolume=\"pv-bound\",phase=\"Bound\"}"));
        assertEquals(10L << 30, e.value("kube_persistentvolume_capacity_bytes{persistentvolume=\"pv-failed\"}"));
        assertEquals(500L << 20, e.value("kube_persistentvolume_capacity_bytes{persistentvolume=\"pv-bound\"}"));
        assertNull(e.value("kube_persistentvolume_status_phase{persistentvolume=\"pv-new\",phase=\"Pending\"}"),
                "no phase yet, no phase series");
        assertNull(e.value("kube_persistentvolume_capacity_bytes{persistentvolume=\"pv-new\"}"));
    }

    @Test
    void aVolumesSourceAndItsClaimAsKubeStateMetricsLabelsThem() {
        ClusterObjects.volumes(client);
        Exposition e = watchAndScrape();

        assertEquals(1, e.value(volumeInfo("pv-failed", "nfs", "nfs_server", "filer.example", "nfs_path", "/exports/a")));
        assertEquals(1, e.value(volumeInfo("pv-bound", "fast", "csi_driver", "pd.csi.storage.gke.io",
                "csi_volume_handle", "projects/p/disks/d-1")));
        assertEquals(1, e.value(volumeInfo("pv-new", "")), "a volume of no source still has its info series");
        assertEquals(1, e.value("kube_persistentvolume_claim_ref{claim_namespace=\"data\",name=\"db-data-0\","
                + "persistentvolume=\"pv-bound\"}"));
        assertNull(e.value("kube_persistentvolume_claim_ref{claim_namespace=\"\",name=\"\",persistentvolume=\"pv-new\"}"),
                "no claim, no claim series");
    }

    /** kube_persistentvolume_info's series as exposed: every source label, empty but the {@code set} ones. */
    private static String volumeInfo(String volume, String storageClass, String... set) {
        java.util.Map<String, String> labels = new java.util.TreeMap<>();
        for (String name : ClusterSeries.PV_INFO.labels()) {
            labels.put(name, "");
        }
        labels.put("persistentvolume", volume);
        labels.put("storageclass", storageClass);
        for (int i = 0; i < set.length; i += 2) {
            labels.put(set[i], set[i + 1]);
        }
        StringBuilder series = new StringBuilder("kube_persistentvolume_info{");
        labels.forEach((k, v) -> series.append(k).append("=\"").append(v).append("\","));
        series.setLength(series.length() - 1);
        return series.append('}').toString();
    }

    @Test
    void changesAreFollowedAndAFollowerOrAStoppedLeaderExposesNothing() {
        ClusterObjects.stuckDeployment(client);
        Exposition first = watchAndScrape();
        assertEquals(1, first.value("kube_deployment_status_replicas_available{deployment=\"web\",namespace=\"shop\"}"));
        assertEquals(1, first.value("vedetta_cluster_objects{resource=\"deployments\"}"));

        client.apps().deployments().inNamespace("shop").withName("web").editStatus(d -> {
            d.getStatus().setAvailableReplicas(3);
            return d;
        });
        Await.until("three replicas available", () -> Double.valueOf(3).equals(Exposition.of(state.collector(() -> true))
                .value("kube_deployment_status_replicas_available{deployment=\"web\",namespace=\"shop\"}")));

        leading = false;
        assertTrue(Exposition.of(state.collector(() -> leading)).isEmpty(), "a follower exposes no cluster series");
        leading = true;
        state.stopWatching();
        assertTrue(Exposition.of(state.collector(() -> leading)).family("kube_deployment_spec_replicas").isEmpty(),
                "after stopping, the series are gone at once");
        assertEquals(0, Exposition.of(state.collector(() -> leading))
                .value("vedetta_cluster_objects{resource=\"deployments\"}"));
    }

}

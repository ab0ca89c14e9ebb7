package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vedetta.agent.MetricCatalogue;
import io.vedetta.kubeprometheus.KubePrometheus;
import io.vedetta.kubeprometheus.MixinRules;
import io.vedetta.kubeprometheus.PromQl;
import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.vedetta.testkit.SimulatedCluster;
import io.vedetta.testkit.SimulatedNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kubernetes-mixin's and node-mixin's rules, as kube-prometheus renders them, with the selectors the README's mixin
 * settings give (job="vedetta"), loaded into the end-to-end Prometheus that scrapes the agent on the simulated node
 * as the chart's ServiceMonitor would. Every rule whose series Vedetta serves must evaluate to data: a recording
 * rule's expression returns series, and every selector of an alerting rule returns series (whether the alert fires
 * depends on the node's state, not on Vedetta). The rules that do, and the series the rules read, are reviewed lists here and
 * in the README, so a rule that stops working, or starts to, fails the test.
 */
class MixinRulesOnVedettaTest {

    /** Rules that evaluate to data with Vedetta's series: {@code group/name}, with the rule's labels where a name repeats. */
    private static final Set<String> EVALUATE_TO_DATA = Set.of(
            "k8s.rules.container_cpu_limits/cluster:namespace:pod_cpu:active:kube_pod_container_resource_limits",
            "k8s.rules.container_cpu_limits/namespace_cpu:kube_pod_container_resource_limits:sum",
            "k8s.rules.container_cpu_requests/cluster:namespace:pod_cpu:active:kube_pod_container_resource_requests",
            "k8s.rules.container_cpu_requests/namespace_cpu:kube_pod_container_resource_requests:sum",
            "k8s.rules.container_cpu_usage_seconds_total/node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate",
            "k8s.rules.container_cpu_usage_seconds_total/node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m",
            "k8s.rules.container_memory_cache/node_namespace_pod_container:container_memory_cache",
            "k8s.rules.container_memory_limits/cluster:namespace:pod_memory:active:kube_pod_container_resource_limits",
            "k8s.rules.container_memory_limits/namespace_memory:kube_pod_container_resource_limits:sum",
            "k8s.rules.container_memory_requests/cluster:namespace:pod_memory:active:kube_pod_container_resource_requests",
            "k8s.rules.container_memory_requests/namespace_memory:kube_pod_container_resource_requests:sum",
            "k8s.rules.container_memory_rss/node_namespace_pod_container:container_memory_rss",
            "k8s.rules.container_memory_swap/node_namespace_pod_container:container_memory_swap",
            "k8s.rules.container_memory_working_set_bytes/node_namespace_pod_container:container_memory_working_set_bytes",
            "k8s.rules.pod_owner/namespace_workload_pod:kube_pod_owner:relabel{workload_type=\"barepod\"}",
            "k8s.rules.pod_owner/namespace_workload_pod:kube_pod_owner:relabel{workload_type=\"daemonset\"}",
            "k8s.rules.pod_owner/namespace_workload_pod:kube_pod_owner:relabel{workload_type=\"statefulset\"}",
            "k8s.rules.pod_owner/namespace_workload_pod:kube_pod_owner:relabel{workload_type=\"staticpod\"}",
            // With the cluster collector's kube_replicaset_owner and kube_job_owner.
            "k8s.rules.pod_owner/namespace_workload_pod:kube_pod_owner:relabel{workload_type=\"deployment\"}",
            "k8s.rules.pod_owner/namespace_workload_pod:kube_pod_owner:relabel{workload_type=\"replicaset\"}",
            "k8s.rules.pod_owner/namespace_workload_pod:kube_pod_owner:relabel{workload_type=\"job\"}",
            "k8s.rules.pod_owner/namespace_workload_pod:kube_pod_owner:relabel{}",
            "kubelet.rules/node_quantile:kubelet_pleg_relist_duration_seconds:histogram_quantile{quantile=\"0.5\"}",
            "kubelet.rules/node_quantile:kubelet_pleg_relist_duration_seconds:histogram_quantile{quantile=\"0.9\"}",
            "kubelet.rules/node_quantile:kubelet_pleg_relist_duration_seconds:histogram_quantile{quantile=\"0.99\"}",
            "kubernetes-apps/KubeContainerWaiting",
            "kubernetes-apps/KubePodCrashLooping",
            "kubernetes-apps/KubePodNotReady",
            // The cluster collector's workload and node series.
            "kubernetes-apps/KubeDaemonSetMisScheduled",
            "kubernetes-apps/KubeDaemonSetNotScheduled",
            "kubernetes-apps/KubeDaemonSetRolloutStuck",
            "kubernetes-apps/KubeDeploymentGenerationMismatch",
            "kubernetes-apps/KubeDeploymentReplicasMismatch",
            "kubernetes-apps/KubeDeploymentRolloutStuck",
            "kubernetes-apps/KubeJobFailed",
            "kubernetes-apps/KubeJobNotCompleted",
            "kubernetes-apps/KubeStatefulSetGenerationMismatch",
            "kubernetes-apps/KubeStatefulSetReplicasMismatch",
            "kubernetes-apps/KubeStatefulSetUpdateNotRolledOut",
            "kubernetes-apps/KubeHpaReplicasMismatch",
            "kubernetes-apps/KubeHpaMaxedOut",
            "kubernetes-apps/KubePdbNotEnoughHealthyPods",
            "kubernetes-resources/KubeCPUOvercommit",
            "kubernetes-resources/KubeMemoryOvercommit",
            "kubernetes-system-kubelet/KubeNodeNotReady",
            "kubernetes-system-kubelet/KubeNodePressure",
            "kubernetes-system-kubelet/KubeNodeReadinessFlapping",
            "kubernetes-system-kubelet/KubeletTooManyPods",
            "kubernetes-resources/CPUThrottlingHigh",
            "kubernetes-system-kubelet/KubeletPlegDurationHigh",
            "kubernetes-system-kubelet/KubeletServerCertificateExpiration{severity=\"critical\"}",
            "kubernetes-system-kubelet/KubeletServerCertificateExpiration{severity=\"warning\"}",
            "kubernetes-system-kubelet/KubeletServerCertificateRenewalErrors",
            "kubernetes-system/KubeVersionMismatch",
            "node-exporter.rules/instance:node_cpu_utilisation:rate5m",
            "node-exporter.rules/instance:node_load1_per_cpu:ratio",
            "node-exporter.rules/instance:node_memory_utilisation:ratio",
            "node-exporter.rules/instance:node_network_receive_bytes_excluding_lo:rate5m",
            "node-exporter.rules/instance:node_network_receive_bytes_physical:rate5m",
            "node-exporter.rules/instance:node_network_receive_drop_excluding_lo:rate5m",
            "node-exporter.rules/instance:node_network_receive_drop_physical:rate5m",
            "node-exporter.rules/instance:node_network_transmit_bytes_excluding_lo:rate5m",
            "node-exporter.rules/instance:node_network_transmit_bytes_physical:rate5m",
            "node-exporter.rules/instance:node_network_transmit_drop_excluding_lo:rate5m",
            "node-exporter.rules/instance:node_network_transmit_drop_physical:rate5m",
            "node-exporter.rules/instance:node_num_cpu:sum",
            "node-exporter.rules/instance:node_vmstat_pgmajfault:rate5m",
            "node-exporter.rules/instance_device:node_disk_io_time_seconds:rate5m",
            "node-exporter.rules/instance_device:node_disk_io_time_weighted_seconds:rate5m",
            "node-exporter/NodeCPUHighUsage",
            "node-exporter/NodeClockNotSynchronising",
            "node-exporter/NodeClockSkewDetected",
            "node-exporter/NodeDiskIOSaturation",
            "node-exporter/NodeFileDescriptorLimit{severity=\"critical\"}",
            "node-exporter/NodeFileDescriptorLimit{severity=\"warning\"}",
            "node-exporter/NodeFilesystemAlmostOutOfFiles{severity=\"critical\"}",
            "node-exporter/NodeFilesystemAlmostOutOfFiles{severity=\"warning\"}",
            "node-exporter/NodeFilesystemAlmostOutOfSpace{severity=\"critical\"}",
            "node-exporter/NodeFilesystemAlmostOutOfSpace{severity=\"warning\"}",
            "node-exporter/NodeFilesystemFilesFillingUp{severity=\"critical\"}",
            "node-exporter/NodeFilesystemFilesFillingUp{severity=\"warning\"}",
            "node-exporter/NodeFilesystemSpaceFillingUp{severity=\"critical\"}",
            "node-exporter/NodeFilesystemSpaceFillingUp{severity=\"warning\"}",
            "node-exporter/NodeHighNumberConntrackEntriesUsed",
            "node-exporter/NodeMemoryHighUtilization",
            "node-exporter/NodeMemoryMajorPagesFaults",
            "node-exporter/NodeNetworkReceiveErrs",
            "node-exporter/NodeNetworkTransmitErrs",
            "node-exporter/NodeSystemSaturation",
            "node.rules/:node_memory_MemAvailable_bytes:sum",
            "node.rules/cluster:node_cpu:ratio_rate5m",
            "node.rules/node:node_cpu_utilization:ratio_rate5m",
            "node.rules/node:node_num_cpu:sum",
            "node.rules/node_namespace_pod:kube_pod_info:");

    private static final String NAMESPACE = "mixin-check";
    private final E2eEnvironment env = E2eEnvironment.get();

    /** Pods of this node whose owners are workloads of the cluster: the ReplicaSet or Job each is owned by. */
    private static final Map<String, String> WORKLOAD_PODS = Map.of(
            "legacy-7c9d-x2k4f", "ReplicaSet/legacy-7c9d", "migrate-5wz8q", "Job/migrate",
            "report-29113-q7x4n", "Job/report-29113");

    /**
     * Pods in the states and with the owners some rules are about: a crash loop, a container waiting for its
     * image, a StatefulSet's pod, a bare pod, a static pod (the agent's own is a DaemonSet's), and pods of a bare
     * ReplicaSet, a bare Job and a CronJob's Job, which the rules join to the cluster collector's
     * kube_replicaset_owner and kube_job_owner. In a namespace of their own, so the alerts they cause do not mingle
     * with those other tests wait for.
     */
    @BeforeAll
    static void podsTheRulesAreAbout() {
        SimulatedNode node = E2eEnvironment.get().node;
        SimulatedCluster cluster = new SimulatedCluster(node.client());
        cluster.replicaSet(NAMESPACE, "legacy-7c9d", null, 1, 1);
        cluster.runningJob(NAMESPACE, "migrate");
        cluster.runningJob(NAMESPACE, "report-29113", "report");
        WORKLOAD_PODS.forEach((pod, owner) -> {
            node.addRunningPod(NAMESPACE, pod, pod.substring(0, pod.lastIndexOf('-')), "main");
            node.ownedBy(NAMESPACE, pod, owner.substring(0, owner.indexOf('/')), owner.substring(owner.indexOf('/') + 1));
        });
        node.addRunningPod(NAMESPACE, "crashing-0", "crashing", "main");
        node.crashLoop(NAMESPACE, "crashing-0");
        node.addRunningPod(NAMESPACE, "pulling-0", "pulling", "main");
        node.waitFor(NAMESPACE, "pulling-0", "ImagePullBackOff");
        node.addRunningPod(NAMESPACE, "db-0", "db", "db");
        node.ownedBy(NAMESPACE, "db-0", "StatefulSet", "db");
        node.addRunningPod(NAMESPACE, "debug", "debug", "shell");
        node.ownedBy(NAMESPACE, "debug", null, null);
        node.addRunningPod(NAMESPACE, "etcd-" + E2eEnvironment.NODE, "etcd", "etcd");
        node.ownedBy(NAMESPACE, "etcd-" + E2eEnvironment.NODE, "Node", E2eEnvironment.NODE);
    }

    @AfterAll
    static void removeThem() {
        SimulatedNode node = E2eEnvironment.get().node;
        for (String pod : List.of("crashing-0", "pulling-0", "db-0", "debug", "etcd-" + E2eEnvironment.NODE)) {
            node.deletePod(NAMESPACE, pod);
        }
        WORKLOAD_PODS.keySet().forEach(pod -> node.deletePod(NAMESPACE, pod));
        node.client().apps().replicaSets().inNamespace(NAMESPACE).withName("legacy-7c9d").delete();
        node.client().batch().v1().jobs().inNamespace(NAMESPACE).withName("migrate").delete();
        node.client().batch().v1().jobs().inNamespace(NAMESPACE).withName("report-29113").delete();
    }

    @Test
    void everyRuleWhoseSeriesVedettaServesEvaluatesToData() {
        Map<String, KubePrometheus.Rule> rules = rulesById();
        Set<String>[] withData = new Set[] {Set.of()};
        boolean all = Http.await(Duration.ofSeconds(90), () -> {
            withData[0] = withData(rules);
            return withData[0].containsAll(EVALUATE_TO_DATA);
        });
        List<String> missing = new ArrayList<>(EVALUATE_TO_DATA);
        missing.removeAll(withData[0]);
        assertTrue(all, "rules that no longer evaluate to data: " + missing + "; those that do: " + withData[0]);
        Set<String> unexpected = new TreeSet<>(withData[0]);
        unexpected.removeAll(EVALUATE_TO_DATA);
        assertEquals(Set.of(), unexpected, "rules that now evaluate to data: review them, then add them to the list"
                + " and take them off the README's");
        assertEquals(List.of(), unhealthy(), "mixin rules Prometheus could not evaluate");
    }

    @Test
    void everyOtherRuleIsInTheReadmeWithItsReason() throws IOException {
        Set<String> others = new TreeSet<>(rulesById().keySet());
        others.removeAll(EVALUATE_TO_DATA);
        Map<String, String> listed = readmeTable("Mixin rules Vedetta does not satisfy");
        Set<String> covered = new TreeSet<>();
        for (String id : others) {
            String group = id.substring(0, id.indexOf('/'));
            if (listed.containsKey(id) || listed.containsKey(group + "/*")) {
                covered.add(id);
            }
        }
        Set<String> unlisted = new TreeSet<>(others);
        unlisted.removeAll(covered);
        assertEquals(Set.of(), unlisted, "rules without data that the README does not list");
        for (String entry : listed.keySet()) {
            assertTrue(entry.endsWith("/*") ? others.stream().anyMatch(id -> id.startsWith(entry.replace("*", "")))
                    : others.contains(entry), "the README lists " + entry + ", which is not a rule without data");
        }
    }

    @Test
    void everySeriesTheRulesReadIsServedOrInTheReadmeWithItsReason() throws IOException {
        Set<String> read = new TreeSet<>();
        Set<String> recorded = new TreeSet<>();
        for (KubePrometheus.Rule rule : KubePrometheus.rules()) {
            read.addAll(PromQl.metricNames(rule.expr()));
            if (!rule.isAlert()) {
                recorded.add(rule.name());
            }
        }
        read.removeAll(recorded);
        Set<String>[] served = new Set[] {Set.of()};
        Http.await(Duration.ofSeconds(60), () -> {
            served[0] = servedNames();
            return served[0].containsAll(List.of("kube_pod_owner", "node_cpu_seconds_total",
                    "kube_pod_container_status_waiting_reason", "kube_deployment_spec_replicas", "kube_node_info"));
        });
        Set<String> notServed = new TreeSet<>(read);
        notServed.removeAll(served[0]);
        // The agent's own series that only exist in some states of the node (software RAID, bonded interfaces).
        MetricCatalogue.all().forEach(m -> notServed.remove(m.name()));
        notServed.remove("up");
        Map<String, String> listed = readmeTable("Series of the mixin rules Vedetta does not serve");

        assertEquals(notServed, listed.keySet(), "series the mixin rules read that the agent does not serve, and the"
                + " README's list of them");
    }

    private Set<String> servedNames() {
        Set<String> names = new TreeSet<>();
        for (JsonNode series : env.prometheus.query("group by (__name__) ({job=\"vedetta\"})")) {
            names.add(series.path("metric").path("__name__").asText());
        }
        return names;
    }

    /** Every rule of the rendered files by id: group/name, with its labels where the name repeats in the group. */
    static Map<String, KubePrometheus.Rule> rulesById() {
        Map<String, Integer> counts = new HashMap<>();
        List<KubePrometheus.Rule> rules = KubePrometheus.rules();
        rules.forEach(r -> counts.merge(r.group() + "/" + r.name(), 1, Integer::sum));
        Map<String, KubePrometheus.Rule> out = new TreeMap<>();
        for (KubePrometheus.Rule rule : rules) {
            String id = rule.group() + "/" + rule.name();
            if (counts.get(id) > 1) {
                id += labels(rule.rule().path("labels"));
            }
            String unique = id;
            for (int n = 2; out.containsKey(unique); n++) {
                unique = id + "#" + n;
            }
            out.put(unique, rule);
        }
        return out;
    }

    private static String labels(JsonNode labels) {
        List<String> pairs = new ArrayList<>();
        labels.fields().forEachRemaining(f -> pairs.add(f.getKey() + "=\"" + f.getValue().asText() + "\""));
        pairs.sort(null);
        return "{" + String.join(",", pairs) + "}";
    }

    private Set<String> withData(Map<String, KubePrometheus.Rule> rules) {
        Set<String> out = new TreeSet<>();
        rules.forEach((id, rule) -> {
            if (hasData(rule)) {
                out.add(id);
            }
        });
        return out;
    }

    /**
     * A recording rule has data when its expression returns series (the record name alone cannot tell rules that
     * share it apart); an alerting rule when each of its selectors does, since whether it fires is the node's state.
     */
    private boolean hasData(KubePrometheus.Rule rule) {
        String expr = MixinRules.forVedetta(rule.expr());
        if (!rule.isAlert()) {
            return !env.prometheus.query("count(" + PromQl.withoutComments(expr) + ")").isEmpty();
        }
        List<String> selectors = PromQl.selectors(expr);
        return !selectors.isEmpty() && selectors.stream().allMatch(s -> !env.prometheus.query("count(" + s + ")").isEmpty());
    }

    /** Mixin rules whose last evaluation failed, with the error. */
    private List<String> unhealthy() {
        List<String> out = new ArrayList<>();
        try {
            JsonNode groups = new ObjectMapper().readTree(Http.get(env.prometheus.url() + "/api/v1/rules").body())
                    .path("data").path("groups");
            for (JsonNode group : groups) {
                if (!group.path("file").asText().contains("mixin-rules")) {
                    continue;
                }
                for (JsonNode rule : group.path("rules")) {
                    if ("err".equals(rule.path("health").asText())) {
                        out.add(group.path("name").asText() + "/" + rule.path("name").asText() + ": "
                                + rule.path("lastError").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The first column's backticked entries of the table under {@code heading}, each with its reason. */
    private static Map<String, String> readmeTable(String heading) throws IOException {
        String readme = Files.readString(AlertingSetup.repo().resolve("README.md"));
        int start = readme.indexOf("### " + heading);
        assertTrue(start >= 0, "README.md has no section `### " + heading + "`");
        int end = readme.indexOf("\n#", start + 4);
        Map<String, String> out = new TreeMap<>();
        Pattern entry = Pattern.compile("`([^`]+)`");
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| rules") || line.startsWith("| series") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String reason = cells[2].trim();
            assertTrue(!reason.isEmpty(), "no reason given for " + cells[1]);
            Matcher m = entry.matcher(cells[1]);
            while (m.find()) {
                out.put(m.group(1), reason);
            }
        }
        return out;
    }
}

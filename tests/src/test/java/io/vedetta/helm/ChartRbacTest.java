package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ClusterRole grants exactly what the configured parts call: the pod informer (and the namespace informer
 * for namespace labels), the kubelet endpoints of the enabled metric sources, directly (nodes/metrics,
 * nodes/stats) or through the API server's node proxy (nodes/proxy), and, for the cluster collector, list and
 * watch on what the elected agent reads. The Lease rights are a namespaced Role on the one Lease the chart makes.
 */
class ChartRbacTest {

    private static final String PODS = "pods: get,list,watch";
    private static final String NAMESPACES = "namespaces: get,list,watch";
    private static final String NODE_METRICS = "nodes/metrics: get";
    private static final Set<String> CLUSTER_STATE = Set.of("nodes: list,watch", "persistentvolumeclaims: list,watch",
            "apps/deployments: list,watch", "apps/statefulsets: list,watch", "apps/daemonsets: list,watch",
            "apps/replicasets: list,watch", "batch/jobs: list,watch", "batch/cronjobs: list,watch",
            "autoscaling/horizontalpodautoscalers: list,watch", "policy/poddisruptionbudgets: list,watch");
    private static final String CLUSTER_NAMESPACES = "namespaces: list,watch";
    private static final String EVENTS = "events.k8s.io/events: list,watch";
    /** What the cluster collector adds by default. */
    private static final Set<String> CLUSTER = plus(CLUSTER_STATE, CLUSTER_NAMESPACES, EVENTS);

    @Test
    void defaultsWatchPodsAndReadKubeletMetricsAndTheClusterCollectorListsAndWatchesOnly() {
        assertEquals(plus(CLUSTER, PODS, NODE_METRICS), grants(Chart.render(Chart.scenario("defaults"))));
        for (String grant : CLUSTER) {
            assertTrue(grant.endsWith(": list,watch"), grant);
        }
    }

    @Test
    void logShippingNeedsNoMorePermissions() {
        assertEquals(plus(CLUSTER, PODS, NODE_METRICS), grants(Chart.render(Chart.scenario("elasticsearch-basic-auth"))));
        assertEquals(plus(CLUSTER, PODS, NODE_METRICS), grants(Chart.render(Chart.scenario("logs-off"))));
    }

    @Test
    void prometheusOperatorObjectsNeedNoMorePermissions() {
        assertEquals(plus(CLUSTER, PODS, NODE_METRICS), grants(Chart.render(Chart.scenario("prometheus-operator"))));
    }

    @Test
    void apiServerProxyNeedsNodesProxyOnlyAndNamespaceLabelsWatchNamespaces() {
        assertEquals(plus(plus(CLUSTER_STATE, EVENTS), PODS, NAMESPACES, "nodes/proxy: get"),
                grants(Chart.render(Chart.scenario("kubelet-apiserver-proxy"))));
    }

    @Test
    void summaryApiDirectlyNeedsNodesStats() {
        assertEquals(plus(CLUSTER, PODS, NODE_METRICS, "nodes/stats: get"),
                grants(Chart.render(Map.of("config.metrics.kubelet.sources.summary", true))));
    }

    @Test
    void summaryAloneNeedsNoMetricsEndpoint() {
        Rendered rendered = Chart.render(Map.of("config.metrics.kubelet.sources.summary", true,
                "config.metrics.kubelet.sources.cadvisor", false, "config.metrics.kubelet.sources.kubelet", false,
                "config.cluster.enabled", false));

        assertEquals(Set.of(PODS, "nodes/stats: get"), grants(rendered));
    }

    @Test
    void kubeletDisabledGrantsNoNodeAccess() {
        assertEquals(Set.of(PODS), grants(Chart.render(Map.of("config.metrics.kubelet.enabled", false,
                "config.cluster.enabled", false))));
    }

    @Test
    void standaloneAgentGetsNoClusterRoleAtAll() {
        Rendered rendered = Chart.render(Map.of("config.kubernetes.enabled", false));

        assertTrue(rendered.all(ClusterRole.class).isEmpty());
        assertTrue(rendered.all(ClusterRoleBinding.class).isEmpty());
        assertTrue(rendered.all(Role.class).isEmpty(), "no cluster collector without the Kubernetes API");
        assertTrue(rendered.all(Lease.class).isEmpty());
    }

    @Test
    void kubeletScrapedWithoutDiscoveryNeedsOnlyItsEndpoints() {
        Rendered rendered = Chart.render(Map.of("config.kubernetes.enabled", false,
                "config.metrics.kubelet.enabled", true));

        assertEquals(Set.of(NODE_METRICS), grants(rendered));
    }

    @Test
    void rbacCanBeLeftToTheCluster() {
        Rendered rendered = Chart.render(Map.of("rbac.create", false));

        assertTrue(rendered.all(ClusterRole.class).isEmpty());
        assertTrue(rendered.all(ClusterRoleBinding.class).isEmpty());
        assertTrue(rendered.all(Role.class).isEmpty());
        assertTrue(rendered.all(RoleBinding.class).isEmpty());
        assertEquals(1, rendered.all(Lease.class).size(), "the Lease is no RBAC object: agents still need it");
    }

    /**
     * get and patch (fabric8 renews with a JSON merge patch) on the one Lease, in the release's namespace; no
     * create anywhere, since RBAC cannot limit create to a name: the chart makes the Lease instead.
     */
    @Test
    void theLeaseRightsAreNamespacedToTheOneLeaseTheChartMakes() {
        Rendered rendered = Chart.render(Chart.scenario("defaults"));

        Lease lease = rendered.one(Lease.class);
        assertEquals("vedetta-cluster-leader", lease.getMetadata().getName());
        assertEquals(Chart.NAMESPACE, lease.getMetadata().getNamespace());
        Role role = rendered.one(Role.class);
        assertEquals(Chart.NAMESPACE, role.getMetadata().getNamespace());
        assertEquals(1, role.getRules().size());
        PolicyRule rule = role.getRules().get(0);
        assertEquals(List.of("coordination.k8s.io"), rule.getApiGroups());
        assertEquals(List.of("leases"), rule.getResources());
        assertEquals(List.of(lease.getMetadata().getName()), rule.getResourceNames());
        assertEquals(List.of("get", "patch"), rule.getVerbs());
        RoleBinding binding = rendered.one(RoleBinding.class);
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(Chart.NAMESPACE, binding.getSubjects().get(0).getNamespace());
        assertEquals("vedetta", binding.getSubjects().get(0).getName());
        assertTrue(rendered.one(ClusterRole.class).getRules().stream()
                .noneMatch(r -> r.getApiGroups().contains("coordination.k8s.io")), "no Lease rights cluster-wide");
        assertTrue(rendered.text().contains("leaseName: vedetta-cluster-leader"), "the agents are told its name");
    }

    @Test
    void theClusterCollectorOffRemovesItsRightsAndItsLease() {
        Rendered rendered = Chart.render(Map.of("config.cluster.enabled", false));

        assertEquals(Set.of(PODS, NODE_METRICS), grants(rendered));
        assertTrue(rendered.all(Role.class).isEmpty());
        assertTrue(rendered.all(RoleBinding.class).isEmpty());
        assertTrue(rendered.all(Lease.class).isEmpty());
    }

    @Test
    void eventsAndStateEachNeedOnlyTheirOwnReads() {
        assertEquals(plus(Set.of(EVENTS), PODS, NODE_METRICS),
                grants(Chart.render(Map.of("config.cluster.metrics.enabled", false))));
        assertEquals(plus(CLUSTER_STATE, CLUSTER_NAMESPACES, PODS, NODE_METRICS),
                grants(Chart.render(Map.of("config.cluster.events.enabled", false))));
    }

    private static Set<String> plus(Set<String> base, String... more) {
        return Stream.concat(base.stream(), Stream.of(more)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Each grant as "group/resource: verbs" ("resource: verbs" in the core group), failing on names. */
    private static Set<String> grants(Rendered rendered) {
        Set<String> grants = new TreeSet<>();
        for (PolicyRule rule : rendered.one(ClusterRole.class).getRules()) {
            assertEquals(1, rule.getApiGroups().size(), rule::toString);
            String group = rule.getApiGroups().get(0);
            assertTrue(rule.getResourceNames().isEmpty() && rule.getNonResourceURLs().isEmpty(), rule::toString);
            for (String resource : rule.getResources()) {
                String name = (group.isEmpty() ? "" : group + "/") + resource;
                assertTrue(grants.add(name + ": " + String.join(",", rule.getVerbs())), () -> name + " granted twice");
            }
        }
        return grants;
    }
}

package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The ClusterRole grants exactly what the configured parts call: the pod informer (and the namespace informer
 * for namespace labels), and the kubelet endpoints of the enabled metric sources, directly
 * (nodes/metrics, nodes/stats) or through the API server's node proxy (nodes/proxy).
 */
class ChartRbacTest {

    private static final String PODS = "pods: get,list,watch";
    private static final String NAMESPACES = "namespaces: get,list,watch";
    private static final String NODE_METRICS = "nodes/metrics: get";

    @Test
    void defaultsWatchPodsAndReadKubeletMetrics() {
        assertEquals(Set.of(PODS, NODE_METRICS), grants(Chart.render(Chart.scenario("defaults"))));
    }

    @Test
    void logShippingNeedsNoMorePermissions() {
        assertEquals(Set.of(PODS, NODE_METRICS), grants(Chart.render(Chart.scenario("elasticsearch-basic-auth"))));
        assertEquals(Set.of(PODS, NODE_METRICS), grants(Chart.render(Chart.scenario("logs-off"))));
    }

    @Test
    void prometheusOperatorObjectsNeedNoMorePermissions() {
        assertEquals(Set.of(PODS, NODE_METRICS), grants(Chart.render(Chart.scenario("prometheus-operator"))));
    }

    @Test
    void apiServerProxyNeedsNodesProxyOnlyAndNamespaceLabelsWatchNamespaces() {
        assertEquals(Set.of(PODS, NAMESPACES, "nodes/proxy: get"),
                grants(Chart.render(Chart.scenario("kubelet-apiserver-proxy"))));
    }

    @Test
    void summaryApiDirectlyNeedsNodesStats() {
        assertEquals(Set.of(PODS, NODE_METRICS, "nodes/stats: get"),
                grants(Chart.render(Map.of("config.metrics.kubelet.sources.summary", true))));
    }

    @Test
    void summaryAloneNeedsNoMetricsEndpoint() {
        Rendered rendered = Chart.render(Map.of("config.metrics.kubelet.sources.summary", true,
                "config.metrics.kubelet.sources.cadvisor", false, "config.metrics.kubelet.sources.kubelet", false));

        assertEquals(Set.of(PODS, "nodes/stats: get"), grants(rendered));
    }

    @Test
    void kubeletDisabledGrantsNoNodeAccess() {
        assertEquals(Set.of(PODS), grants(Chart.render(Map.of("config.metrics.kubelet.enabled", false))));
    }

    @Test
    void standaloneAgentGetsNoClusterRoleAtAll() {
        Rendered rendered = Chart.render(Map.of("config.kubernetes.enabled", false));

        assertTrue(rendered.all(ClusterRole.class).isEmpty());
        assertTrue(rendered.all(ClusterRoleBinding.class).isEmpty());
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
    }

    /** Each grant as "resource: verbs", failing on anything beyond the core API group or on names. */
    private static Set<String> grants(Rendered rendered) {
        Set<String> grants = new TreeSet<>();
        for (PolicyRule rule : rendered.one(ClusterRole.class).getRules()) {
            assertEquals(List.of(""), rule.getApiGroups(), () -> "rule outside the core group: " + rule);
            assertTrue(rule.getResourceNames().isEmpty() && rule.getNonResourceURLs().isEmpty(), rule::toString);
            for (String resource : rule.getResources()) {
                assertTrue(grants.add(resource + ": " + String.join(",", rule.getVerbs())),
                        () -> resource + " granted twice");
            }
        }
        return grants;
    }
}

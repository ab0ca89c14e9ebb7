package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional NetworkPolicy admits only the named scrapers to the agents' metrics port. */
class ChartNetworkPolicyTest {

    @TempDir
    Path dir;

    @Test
    void noneByDefault() {
        assertTrue(Chart.render(Chart.scenario("defaults")).find(NetworkPolicy.class).isEmpty());
    }

    @Test
    void admitsTheNamedPeersToTheMetricsPortOfTheAgentPodsOnly() throws IOException {
        Path values = Files.writeString(dir.resolve("values.yaml"), """
                config:
                  http: {port: 9300}
                networkPolicy:
                  enabled: true
                  from:
                    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
                      podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}
                """);
        Rendered rendered = Chart.render(values);
        NetworkPolicy policy = rendered.one(NetworkPolicy.class);

        assertEquals(rendered.daemonSet().getSpec().getSelector().getMatchLabels(),
                policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes(), "egress is left alone");
        NetworkPolicyIngressRule rule = policy.getSpec().getIngress().get(0);
        assertEquals(1, policy.getSpec().getIngress().size());
        assertEquals(Map.of("kubernetes.io/metadata.name", "monitoring"),
                rule.getFrom().get(0).getNamespaceSelector().getMatchLabels());
        assertEquals(Map.of("app.kubernetes.io/name", "prometheus"),
                rule.getFrom().get(0).getPodSelector().getMatchLabels());
        assertEquals(9300, rule.getPorts().get(0).getPort().getIntVal(), "the port the agent listens on");
        assertEquals(9300, rendered.daemonSet().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getPorts().get(0).getContainerPort());
    }

    @Test
    void withoutPeersItAdmitsNobody() {
        NetworkPolicy policy = Chart.render(Map.of("networkPolicy.enabled", true)).one(NetworkPolicy.class);

        assertEquals(List.of(), policy.getSpec().getIngress(), "a rule without peers would admit everyone");
    }
}

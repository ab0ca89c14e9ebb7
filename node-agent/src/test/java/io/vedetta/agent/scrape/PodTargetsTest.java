package io.vedetta.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.vedetta.agent.config.ConfigLoader;
import io.vedetta.agent.config.ScrapeConfig;
import io.vedetta.agent.kube.PodState;
import io.vedetta.agent.kube.PodStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodTargetsTest {

    private final List<String> problems = new ArrayList<>();

    private List<ScrapeTarget> targets(String scrapeYaml, Pod... pods) throws Exception {
        ScrapeConfig config = ScrapeConfigs.parse(scrapeYaml);
        PodTargets targets = new PodTargets(config, "node-a", (pod, problem) -> problems.add(pod.name() + ": " + problem));
        return targets.of(java.util.Arrays.stream(pods).map(PodStates::from).toList());
    }

    static PodBuilder pod(String name, Map<String, String> annotations) {
        return new PodBuilder()
                .withNewMetadata().withNamespace("shop").withName(name).withUid(name + "-uid")
                .addToLabels("app.kubernetes.io/name", "checkout").addToLabels("pod-template-hash", "7d9f8c6b5")
                .withAnnotations(annotations)
                .addNewOwnerReference().withKind("ReplicaSet").withName("checkout-7d9f8c6b5").withController(true)
                .withApiVersion("apps/v1").withUid("rs").endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName("node-a")
                .addNewContainer().withName("app").addNewPort().withName("http").withContainerPort(8080).endPort()
                .addNewPort().withName("metrics").withContainerPort(9090).endPort().endContainer()
                .addNewContainer().withName("sidecar").addNewPort().withName("admin").withContainerPort(9901).endPort()
                .endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.244.1.7").withHostIP("10.0.0.5").endStatus();
    }

    @Test
    void scrapesEachAnnotatedPortWithTheConventionalLabels() throws Exception {
        List<ScrapeTarget> targets = targets("podLabels: [app.kubernetes.io/name]", pod("checkout-1", Map.of(
                "prometheus.io/scrape", "true", "prometheus.io/port", "8080, 9901",
                "prometheus.io/path", "stats", "prometheus.io/param_format", "prometheus",
                "prometheus.io/interval", "15s")).build());

        assertEquals(2, targets.size(), problems.toString());
        ScrapeTarget app = targets.get(0);
        assertEquals("http://10.244.1.7:8080/stats?format=prometheus", app.url().toString());
        assertEquals(Map.of("namespace", "shop", "pod", "checkout-1", "container", "app", "node", "node-a",
                "job", "shop/checkout", "instance", "10.244.1.7:8080", "app_kubernetes_io_name", "checkout"),
                app.labels());
        assertEquals(Duration.ofSeconds(15), app.interval());
        assertEquals(Duration.ofSeconds(10), app.timeout());
        assertEquals("sidecar", targets.get(1).labels().get("container"));
    }

    @Test
    void usesThePortsNamedMetricsWithoutAPortAnnotation() throws Exception {
        List<ScrapeTarget> targets = targets("", pod("checkout-1", Map.of("prometheus.io/scrape", "true")).build());

        assertEquals(List.of("http://10.244.1.7:9090/metrics"), targets.stream().map(t -> t.url().toString()).toList());
    }

    @Test
    void takesTheJobFromTheAnnotationAndThePodWithoutAController() throws Exception {
        Pod bare = pod("bare", Map.of("prometheus.io/scrape", "true")).editMetadata().withOwnerReferences()
                .endMetadata().build();
        Pod named = pod("named", Map.of("prometheus.io/scrape", "true", "vedetta.io/job", "payments")).build();

        List<ScrapeTarget> targets = targets("", bare, named);

        assertEquals(List.of("shop/bare", "payments"), targets.stream().map(t -> t.labels().get("job")).toList());
    }

    @Test
    void leavesOutPodsNotRunningWithoutAnIpUnannotatedOfAnotherNodeOrInAnExcludedNamespace() throws Exception {
        Map<String, String> yes = Map.of("prometheus.io/scrape", "true");
        List<ScrapeTarget> targets = targets("namespaces: {exclude: [kube-system]}",
                pod("pending", yes).editStatus().withPhase("Pending").endStatus().build(),
                pod("no-ip", yes).editStatus().withPodIP(null).endStatus().build(),
                pod("not-asked", Map.of("prometheus.io/scrape", "false")).build(),
                pod("system", yes).editMetadata().withNamespace("kube-system").endMetadata().build(),
                pod("elsewhere", yes).editSpec().withNodeName("node-b").endSpec().build(),
                pod("kept", yes).build());

        assertEquals(List.of("kept"), targets.stream().map(t -> t.labels().get("pod")).toList());
    }

    @Test
    void runsTargetRelabellingOnPrometheusDiscoveryLabels() throws Exception {
        String yaml = """
                relabelConfigs:
                  - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_name]
                    target_label: service
                  - source_labels: [__meta_kubernetes_pod_container_name]
                    regex: sidecar
                    action: drop
                  - source_labels: [__address__]
                    regex: (.+):\\d+
                    target_label: __address__
                    replacement: $1:9999
                """;
        List<ScrapeTarget> targets = targets(yaml, pod("checkout-1", Map.of("prometheus.io/scrape", "true",
                "prometheus.io/port", "8080,9901")).build());

        assertEquals(1, targets.size());
        assertEquals("checkout", targets.get(0).labels().get("service"));
        assertEquals("http://10.244.1.7:9999/metrics", targets.get(0).url().toString());
        assertEquals("10.244.1.7:9999", targets.get(0).labels().get("instance"));
    }

    @Test
    void namesThePodsOnlyContainerWhenNoContainerDeclaresThePort() throws Exception {
        Pod pod = new PodBuilder(pod("single-1", Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "8000"))
                .build()).editSpec().withContainers(List.of()).addNewContainer().withName("web").endContainer()
                .endSpec().build();

        List<ScrapeTarget> targets = targets("", pod);

        assertEquals(1, targets.size(), problems.toString());
        assertEquals("web", targets.get(0).labels().get("container"));
    }

    @Test
    void reportsAnnotationsItCannotUse() throws Exception {
        List<ScrapeTarget> targets = targets("", pod("bad", Map.of("prometheus.io/scrape", "true",
                "prometheus.io/port", "http", "prometheus.io/interval", "soon")).build());

        assertTrue(targets.isEmpty());
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void keepsAPodsTargetsWhileTheCacheHoldsTheSameStateAndBuildsThemAgainWhenThePodChanges() throws Exception {
        PodTargets targets = new PodTargets(ScrapeConfigs.parse(""), "node-a",
                (pod, problem) -> problems.add(pod.name() + ": " + problem));
        PodState first = PodStates.from(pod("checkout-1", Map.of("prometheus.io/scrape", "true",
                "prometheus.io/port", "8080")).build());
        ScrapeTarget built = targets.of(List.of(first)).get(0);

        assertSame(built, targets.of(List.of(first)).get(0), "an unchanged pod's target is not built again");
        PodState moved = PodStates.from(pod("checkout-1", Map.of("prometheus.io/scrape", "true",
                "prometheus.io/port", "9901")).build());
        assertEquals("http://10.244.1.7:9901/metrics", targets.of(List.of(moved)).get(0).url().toString());
        PodState unannotated = PodStates.from(pod("checkout-1", Map.of()).build());
        assertEquals(List.of(), targets.of(List.of(unannotated)));
        assertEquals(List.of(), problems);
    }

    @Test
    void labelKeysAreEscapedAsPrometheusEscapesThem() {
        assertEquals("app_kubernetes_io_name", PodTargets.sanitize("app.kubernetes.io/name"));
        assertEquals("already_valid_9", PodTargets.sanitize("already_valid_9"));
        assertEquals("caf_", PodTargets.sanitize("café"));
    }

    /** Reads a {@code scrape} section as the agent's config loader does. */
    static final class ScrapeConfigs {
        static ScrapeConfig parse(String scrapeYaml) throws Exception {
            Path file = Files.createTempFile("vedetta", ".yaml");
            Files.writeString(file, "kubernetes: {enabled: false}\nscrape:\n" + scrapeYaml.indent(2));
            try {
                return ConfigLoader.load(Optional.of(file), Map.of()).scrape();
            } finally {
                Files.delete(file);
            }
        }
    }
}

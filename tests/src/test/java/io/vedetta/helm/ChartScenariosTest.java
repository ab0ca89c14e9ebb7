package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.vedetta.agent.config.AgentConfig;
import io.vedetta.agent.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every ci/ scenario renders, every object is valid Kubernetes, and the agent gets a config it accepts. */
class ChartScenariosTest {

    static List<Path> scenarios() {
        return Chart.scenarios();
    }

    @Test
    void everyIssueScenarioHasAValuesFile() {
        Set<String> names = scenarios().stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());

        assertEquals(Set.of("defaults-values.yaml", "elasticsearch-basic-auth-values.yaml", "logs-off-values.yaml",
                "kubelet-apiserver-proxy-values.yaml", "prometheus-operator-values.yaml", "remote-write-values.yaml",
                "hardened-values.yaml"), names);
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void rendersOnlyObjectsTheKubernetesModelKnowsCompletely(Path scenario) {
        Rendered rendered = Chart.render(scenario);

        Set<String> kinds = rendered.objects().stream().map(HasMetadata::getKind).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("DaemonSet", "ConfigMap", "ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Service")), () -> "kinds rendered: " + kinds);
        for (HasMetadata object : rendered.objects()) {
            assertTrue(object.getMetadata().getLabels().containsKey("app.kubernetes.io/name"),
                    () -> object.getKind() + " lacks the chart's labels");
        }
    }

    @Test
    void strictParsingRejectsAFieldTheKubernetesModelDoesNotKnow() {
        String manifest = Chart.render(Chart.scenario("defaults")).text()
                .replace("terminationGracePeriodSeconds: 30", "terminationGracePeriodSecond: 30");

        AssertionError error = assertThrows(AssertionError.class, () -> Rendered.parse(manifest));

        assertTrue(error.getMessage().contains("terminationGracePeriodSecond"), error.getMessage());
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void agentConfigHoldsOnlySettingsOfTheConfigurationReference(Path scenario) throws IOException {
        List<Pattern> documented = documentedSettings();
        List<String> settings = new ArrayList<>();
        collectLeafPaths(Chart.render(scenario).agentConfig(), "", settings, documented);

        for (String setting : settings) {
            assertTrue(documented.stream().anyMatch(p -> p.matcher(setting).matches()),
                    () -> scenario.getFileName() + " renders `" + setting + "`, which the README does not document");
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void agentLoadsTheRenderedConfig(Path scenario, @TempDir Path dir) throws IOException {
        // The Secret's mount, as the kubelet would lay it out: the agent reads the credentials at start.
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("username"), "vedetta\n");
        Files.writeString(secrets.resolve("password"), "s3cret\n");
        Path file = Files.writeString(dir.resolve("vedetta.yaml"),
                Chart.render(scenario).agentConfigMap().getData().get("vedetta.yaml")
                        .replace("/var/run/secrets/vedetta/elasticsearch", secrets.toString()));

        // The DaemonSet's downward-API environment.
        AgentConfig loaded = ConfigLoader.load(Optional.of(file), Map.of("NODE_NAME", "node-a", "HOST_IP", "10.0.0.7",
                "POD_NAME", "vedetta-x7k2p", "POD_NAMESPACE", Chart.NAMESPACE,
                "KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"));

        assertEquals(java.nio.file.Path.of("/var/lib/vedetta"), loaded.logs().pipeline().tail().stateDir());
        assertEquals(!scenario.getFileName().toString().startsWith("logs-off"), loaded.logs().enabled());
        assertTrue(loaded.cluster().enabled());
        assertEquals("vedetta-cluster-leader", loaded.cluster().leaseName());
        assertEquals(Chart.NAMESPACE, loaded.cluster().namespace());
    }

    @Test
    void configMergesUserSettingsOverTheChartDefaults() {
        JsonNode config = Chart.render(Chart.scenario("logs-off")).agentConfig();

        assertEquals(false, config.at("/logs/enabled").booleanValue());
        assertEquals("/var/lib/vedetta", config.at("/logs/stateDir").textValue());
        assertEquals(true, config.at("/kubernetes/enabled").booleanValue());
        assertEquals(9102, config.at("/http/port").intValue());
        assertEquals("/host", config.at("/metrics/hostRoot").textValue());
        assertEquals("http://elasticsearch-master:9200", config.at("/elasticsearch/urls/0").textValue());
    }

    @Test
    void logsAreReadOnlyUnderTheDirectoriesTheChartMounts() {
        JsonNode roots = Chart.render(Map.of()).agentConfig().at("/logs/allowedRoots");
        JsonNode elsewhere = Chart.render(Map.of("hostPaths.dockerContainers", "/data/docker/containers"))
                .agentConfig().at("/logs/allowedRoots");
        JsonNode noDocker = Chart.render(Map.of("hostPaths.dockerContainers", "")).agentConfig().at("/logs/allowedRoots");

        assertEquals("[\"/var/log/pods\",\"/var/log/containers\",\"/var/lib/docker/containers\"]", roots.toString());
        assertEquals("[\"/var/log/pods\",\"/var/log/containers\",\"/data/docker/containers\"]", elsewhere.toString());
        assertEquals("[\"/var/log/pods\",\"/var/log/containers\"]", noDocker.toString());
    }

    @Test
    void elasticsearchUrlsComeFromTheirValue() {
        JsonNode urls = Chart.render(Chart.scenario("elasticsearch-basic-auth")).agentConfig().at("/elasticsearch/urls");

        assertEquals(List.of("https://es-0.logging.svc:9200", "https://es-1.logging.svc:9200"),
                List.of(urls.get(0).textValue(), urls.get(1).textValue()));
    }

    @Test
    void changedConfigurationChangesThePodTemplateChecksum() {
        String same = checksum(Chart.render(Map.of()));
        String again = checksum(Chart.render(Map.of()));
        String changed = checksum(Chart.render(Map.of("config.logging.level", "debug")));

        assertEquals(same, again);
        assertNotEquals(same, changed);
        assertTrue(same.matches("[0-9a-f]{64}"), same);
    }

    @Test
    void serviceSelectsTheAgentPodsOnTheMetricsPort() {
        Rendered rendered = Chart.render(Chart.scenario("defaults"));
        Service service = rendered.one(Service.class);

        assertEquals(rendered.daemonSet().getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
        assertEquals("http-metrics", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(9102, service.getSpec().getPorts().get(0).getPort());
    }

    @Test
    void clusterRoleBindingBindsTheAgentsServiceAccount() {
        Rendered rendered = Chart.render(Chart.scenario("defaults"));
        ClusterRoleBinding binding = rendered.one(ClusterRoleBinding.class);
        ServiceAccount account = rendered.one(ServiceAccount.class);

        assertEquals(rendered.one(ClusterRole.class).getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(account.getMetadata().getName(), binding.getSubjects().get(0).getName());
        assertEquals(Chart.NAMESPACE, binding.getSubjects().get(0).getNamespace());
        assertEquals(account.getMetadata().getName(),
                rendered.daemonSet().getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    @Test
    void elasticsearchCredentialsComeFromTheExistingSecret() {
        Rendered rendered = Chart.render(Chart.scenario("elasticsearch-basic-auth"));

        var volume = rendered.daemonSet().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null).findFirst().orElseThrow();
        assertEquals("vedetta-es-credentials", volume.getSecret().getSecretName());
        assertEquals(Map.of("user", "username", "pass", "password"), volume.getSecret().getItems().stream()
                .collect(Collectors.toMap(i -> i.getKey(), i -> i.getPath())));
        assertTrue(rendered.all(Secret.class).isEmpty(),
                "the chart must not create a Secret when one exists");
        assertEquals("/var/run/secrets/vedetta/elasticsearch/username",
                rendered.agentConfig().at("/elasticsearch/usernameFile").asText(), "the agent reads the mounted user");
        assertEquals("/var/run/secrets/vedetta/elasticsearch/password",
                rendered.agentConfig().at("/elasticsearch/passwordFile").asText(), "the agent reads the mounted password");
    }

    @Test
    void chartMakesTheCredentialsSecretWhenNoneExists() {
        Rendered rendered = Chart.render(Map.of("elasticsearch.basicAuth.enabled", true,
                "elasticsearch.basicAuth.username", "vedetta", "elasticsearch.basicAuth.password", "s3cret"));

        var secret = rendered.one(Secret.class);
        assertEquals("kubernetes.io/basic-auth", secret.getType());
        assertEquals("s3cret", new String(Base64.getDecoder().decode(secret.getData().get("password"))));
        var volume = rendered.daemonSet().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null).findFirst().orElseThrow();
        assertEquals(secret.getMetadata().getName(), volume.getSecret().getSecretName());
    }

    private static String checksum(Rendered rendered) {
        return rendered.daemonSet().getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    /** The settings named in the README's configuration reference table; a {@code <placeholder>} matches one key. */
    static List<Pattern> documentedSettings() throws IOException {
        String whole = Files.readString(Chart.REPO.resolve("README.md"));
        int start = whole.indexOf("## Configuration reference");
        String readme = whole.substring(start, whole.indexOf("\n## ", start + 1));
        Matcher row = Pattern.compile("(?m)^\\| ((?:`[A-Za-z.<>\\[\\]]+`(?: / )?)+) \\|").matcher(readme);
        List<Pattern> settings = new ArrayList<>();
        while (row.find()) {
            Matcher name = Pattern.compile("`([A-Za-z.<>\\[\\]]+)`").matcher(row.group(1));
            while (name.find()) {
                settings.add(Pattern.compile(Pattern.quote(name.group(1)).replaceAll("<[a-z]+>", "\\\\E[^.]+\\\\Q")));
            }
        }
        assertTrue(settings.size() > 10, () -> "no configuration reference found in README.md: " + settings);
        return settings;
    }

    /**
     * The settings a config sets; the items of a list of mappings whose settings the README lists one by one
     * ({@code list[].name}) are looked into, other lists (of values, or of relabelling rules) are one setting.
     */
    private static void collectLeafPaths(JsonNode node, String path, List<String> out, List<Pattern> documented) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collectLeafPaths(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), out,
                        documented);
            }
        } else if (node.isArray() && documented.stream().anyMatch(p -> p.pattern().contains(path + "[]."))) {
            for (JsonNode item : node) {
                collectLeafPaths(item, path + "[]", out, documented);
            }
        } else {
            out.add(path);
        }
    }
}

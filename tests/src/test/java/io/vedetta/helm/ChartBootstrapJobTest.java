package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.vedetta.agent.config.AgentConfig;
import io.vedetta.agent.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hardened layout: a bootstrap Job installs the templates with credentials of its own, before the agents run,
 * and the agents' configuration leaves template installation to it.
 */
class ChartBootstrapJobTest {

    @TempDir
    Path dir;

    private Rendered hardened() throws IOException {
        return Chart.renderWithHooks(dir, Files.writeString(dir.resolve("values.yaml"), """
                elasticsearch:
                  urls: ["https://es.logging.svc:9200"]
                  basicAuth: {enabled: true, existingSecret: vedetta-writer}
                  bootstrap:
                    enabled: true
                    existingSecret: vedetta-template-admin
                config:
                  logs: {jsonField: fields}
                  elasticsearch:
                    index: {dataStreamPrefix: "logs-k8s-"}
                """), Map.of());
    }

    @Test
    void noJobByDefaultAndTheAgentsInstallTheTemplatesThemselves() {
        Rendered rendered = Chart.renderWithHooks(dir, Chart.scenario("defaults"), Map.of());

        assertTrue(rendered.find(Job.class).isEmpty());
        assertTrue(rendered.agentConfig().at("/elasticsearch/template/install").isMissingNode(),
                "the agent's default (true) applies");
    }

    @Test
    void theJobRunsTheAgentImageInBootstrapModeBeforeTheAgentsWithTheirOwnCredentials() throws IOException {
        Rendered rendered = hardened();
        Job job = rendered.one(Job.class);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertEquals("pre-install,pre-upgrade", Rendered.hook(job, ""),
                "the templates exist before any agent writes");
        assertEquals("before-hook-creation,hook-succeeded",
                Rendered.hook(job, "-delete-policy"));
        assertEquals(rendered.daemonSet().getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
                container.getImage());
        assertEquals(List.of("--config", "/etc/vedetta/vedetta.yaml", "--bootstrap-elasticsearch"), container.getArgs());
        Volume credentials = volume(pod, "credentials");
        assertEquals("vedetta-template-admin", credentials.getSecret().getSecretName());
        assertEquals("vedetta-writer", volume(rendered.daemonSet().getSpec().getTemplate().getSpec(),
                "elasticsearch-credentials").getSecret().getSecretName(), "the agents keep theirs");
        assertEquals(300L, job.getSpec().getActiveDeadlineSeconds());
    }

    @Test
    void theJobHasLeastPrivilegeAndTheAgentsHardening() throws IOException {
        PodSpec pod = hardened().one(Job.class).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertFalse(pod.getAutomountServiceAccountToken(), "it needs no Kubernetes API");
        assertNull(pod.getServiceAccountName());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(10001L, pod.getSecurityContext().getRunAsUser());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertFalse(container.getSecurityContext().getPrivileged());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertTrue(container.getSecurityContext().getCapabilities().getAdd() == null
                || container.getSecurityContext().getCapabilities().getAdd().isEmpty());
        assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getHostPath() != null), "no host path");
        assertEquals(288, volume(pod, "credentials").getSecret().getDefaultMode(), "0440, for the Job's group");
        assertEquals(10001L, pod.getSecurityContext().getFsGroup());
    }

    @Test
    void theAgentsLeaveTheTemplatesToTheJobWhoseConfigMatchesTheirs() throws Exception {
        Rendered rendered = hardened();
        JsonNode agents = rendered.agentConfig();
        ConfigMap hook = rendered.all(ConfigMap.class).stream().filter(Rendered::isHook).findFirst().orElseThrow();
        JsonNode job = Rendered.YAML.readTree(hook.getData().get("vedetta.yaml"));

        assertFalse(agents.at("/elasticsearch/template/install").booleanValue());
        assertTrue(job.at("/elasticsearch/template/install").booleanValue());
        assertEquals("/var/run/secrets/vedetta/bootstrap/password", job.at("/elasticsearch/passwordFile").textValue());
        assertEquals("/var/run/secrets/vedetta/elasticsearch/password",
                agents.at("/elasticsearch/passwordFile").textValue());
        for (String setting : List.of("/elasticsearch/urls", "/elasticsearch/index", "/logs/jsonField")) {
            assertEquals(agents.at(setting), job.at(setting), setting + " decides the template's content");
        }
        assertEquals("pre-install,pre-upgrade", Rendered.hook(hook, ""));
        Path file = Files.writeString(dir.resolve("bootstrap.yaml"), hook.getData().get("vedetta.yaml"));
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/username"), "template-admin");
        Files.writeString(dir.resolve("secrets/password"), "pw");
        Files.writeString(file, Files.readString(file).replace("/var/run/secrets/vedetta/bootstrap",
                dir.resolve("secrets").toString()));
        AgentConfig loaded = ConfigLoader.load(Optional.of(file), downwardApi(rendered.one(Job.class)));
        assertEquals("template-admin", loaded.elasticsearch().username().orElseThrow(), "the agent accepts it");
        assertTrue(loaded.cluster().enabled(), "the agents' cluster settings too: they name the events' templates");
        assertTrue(rendered.all(Secret.class).stream().noneMatch(Rendered::isHook), "an existing Secret is used");
    }

    /** The environment the Job's container gets from the downward API, with values as a cluster would give. */
    private static Map<String, String> downwardApi(Job job) {
        Map<String, String> values = Map.of("spec.nodeName", "node-a", "status.hostIP", "10.0.0.7",
                "metadata.name", "vedetta-bootstrap-x7k2p", "metadata.namespace", Chart.NAMESPACE);
        Map<String, String> env = new TreeMap<>();
        job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null)
                .forEach(e -> env.put(e.getName(), values.get(e.getValueFrom().getFieldRef().getFieldPath())));
        return env;
    }

    @Test
    void credentialsGivenAsValuesGoToAHookSecretDeletedWithTheJob() {
        Rendered rendered = Chart.renderWithHooks(dir, null, Map.of("elasticsearch.bootstrap.enabled", true,
                "elasticsearch.bootstrap.username", "template-admin", "elasticsearch.bootstrap.password", "pw"));
        Secret secret = rendered.all(Secret.class).stream().filter(Rendered::isHook).findFirst()
                .orElseThrow(() -> new AssertionError(rendered.text()));
        Volume credentials = volume(rendered.one(Job.class).getSpec().getTemplate().getSpec(), "credentials");

        assertEquals(secret.getMetadata().getName(), credentials.getSecret().getSecretName());
        assertEquals("template-admin", secret.getStringData().get("username"));
        assertEquals("-10", Rendered.hook(secret, "-weight"), "made before the Job");
        assertEquals("before-hook-creation,hook-succeeded", Rendered.hook(secret, "-delete-policy"),
                "the cluster-privileged credentials do not outlive a successful Job");
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}

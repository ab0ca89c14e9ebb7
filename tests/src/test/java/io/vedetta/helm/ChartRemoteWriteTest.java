package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** remote_write in the chart: endpoints, their credentials as files from existing Secrets, the write-ahead log's mount. */
class ChartRemoteWriteTest {

    private static PodSpec pod(Rendered rendered) {
        return rendered.daemonSet().getSpec().getTemplate().getSpec();
    }

    private static Container agent(PodSpec pod) {
        return pod.getContainers().get(0);
    }

    @Test
    void rendersEachEndpointWithItsCredentialsAsFilesOfTheExistingSecrets() {
        Rendered rendered = Chart.render(Chart.scenario("remote-write"));
        JsonNode endpoint = rendered.agentConfig().at("/remoteWrite/endpoints/0");

        assertEquals("https://mimir.example.com/api/v1/push", endpoint.path("url").asText());
        assertEquals("platform", endpoint.at("/headers/X-Scope-OrgID").asText());
        assertEquals("/var/run/secrets/vedetta/remote-write/0/password", endpoint.at("/basicAuth/passwordFile").asText());
        assertEquals("/var/run/secrets/vedetta/remote-write/0/username", endpoint.at("/basicAuth/usernameFile").asText());
        assertEquals("/var/run/secrets/vedetta/remote-write/0/ca.crt", endpoint.at("/tls/caFile").asText());
        assertEquals("drop", endpoint.at("/writeRelabelConfigs/0/action").asText());
        assertEquals("prod-eu-1", rendered.agentConfig().at("/remoteWrite/externalLabels/cluster").asText());

        PodSpec pod = pod(rendered);
        Volume credentials = pod.getVolumes().stream().filter(v -> v.getName().equals("remote-write-0")).findFirst()
                .orElseThrow();
        assertEquals(List.of("mimir-credentials", "mimir-ca"), credentials.getProjected().getSources().stream()
                .map(s -> s.getSecret().getName()).toList());
        assertEquals(256, credentials.getProjected().getDefaultMode());
        VolumeMount mount = agent(pod).getVolumeMounts().stream().filter(m -> m.getName().equals("remote-write-0"))
                .findFirst().orElseThrow();
        assertEquals("/var/run/secrets/vedetta/remote-write/0", mount.getMountPath());
        assertTrue(mount.getReadOnly());
        assertTrue(mount.getSubPath() == null, "a subPath mount would not see the Secret change");
        assertTrue(rendered.objects().stream().noneMatch(o -> o.getKind().equals("ServiceMonitor")));
    }

    @Test
    void mountsTheStateDirectoryForTheWriteAheadLogEvenWithLogsOff() {
        Rendered rendered = Chart.render(Map.of("config.logs.enabled", false,
                "remoteWrite[0].url", "http://prometheus.monitoring:9090/api/v1/write"));
        PodSpec pod = pod(rendered);

        Map<String, String> mounts = agent(pod).getVolumeMounts().stream()
                .collect(Collectors.toMap(VolumeMount::getName, VolumeMount::getMountPath));
        assertEquals("/var/lib/vedetta", mounts.get("state"));
        assertFalse(mounts.containsKey("varlog"));
        assertEquals(0L, pod.getSecurityContext().getRunAsUser());
        assertEquals(List.of(), agent(pod).getSecurityContext().getCapabilities().getAdd());
        assertEquals(List.of("ALL"), agent(pod).getSecurityContext().getCapabilities().getDrop());
        assertTrue(agent(pod).getEnv().stream().anyMatch(e -> e.getName().equals("POD_IP")));
    }

    @Test
    void withoutRemoteWriteNothingOfItIsRendered() {
        // Cluster events keep a checkpoint in the state directory too, so they are off here as well.
        Rendered rendered = Chart.render(Map.of("config.logs.enabled", false, "config.cluster.events.enabled", false));

        assertTrue(rendered.agentConfig().path("remoteWrite").isMissingNode());
        assertTrue(pod(rendered).getVolumes().stream().noneMatch(v -> v.getName().equals("state")));
        assertEquals(10001L, pod(rendered).getSecurityContext().getRunAsUser());
    }
}

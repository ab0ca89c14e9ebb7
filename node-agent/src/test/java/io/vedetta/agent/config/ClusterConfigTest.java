package io.vedetta.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {

    private static final Map<String, String> POD = Map.of("NODE_NAME", "node-a", "POD_NAME", "vedetta-x7k2p",
            "POD_NAMESPACE", "monitoring");

    @TempDir
    Path dir;

    private AgentConfig load(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(Optional.of(file), env);
    }

    private ConfigException error(String yaml, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> load(yaml, env));
    }

    @Test
    void offByDefaultAndClientGoTimingsWhenOn() throws IOException {
        assertFalse(load("", POD).cluster().enabled());

        ClusterConfig on = load("cluster: {enabled: true}", POD).cluster();
        assertTrue(on.enabled());
        assertEquals("monitoring", on.namespace());
        assertEquals("vedetta-x7k2p", on.identity());
        assertEquals("vedetta-cluster-leader", on.leaseName());
        assertEquals(Duration.ofSeconds(15), on.leaseDuration());
        assertEquals(Duration.ofSeconds(10), on.renewDeadline());
        assertEquals(Duration.ofSeconds(2), on.retryPeriod());
        assertTrue(on.metrics());
        assertTrue(on.events().enabled());
        assertEquals("logs-kubernetes.events-", on.events().dataStreamPrefix());
        assertEquals(Path.of("/var/lib/vedetta"), on.stateDir());
    }

    @Test
    void theLeaseNeedsANamespaceAndTheKubernetesApi() {
        ConfigException noNamespace = error("cluster: {enabled: true}", Map.of("NODE_NAME", "n"));
        assertEquals("cluster.namespace", noNamespace.setting());
        assertTrue(noNamespace.getMessage().contains("POD_NAMESPACE"), noNamespace.getMessage());

        ConfigException standalone = error("kubernetes: {enabled: false}\ncluster: {enabled: true}", POD);
        assertEquals("cluster.enabled", standalone.setting());
    }

    @Test
    void timingsMustLetALeaderStopBeforeAnotherStarts() {
        assertEquals("cluster.renewDeadline",
                error("cluster: {enabled: true, leaseDuration: 10s, renewDeadline: 10s}", POD).setting());
        assertEquals("cluster.retryPeriod",
                error("cluster: {enabled: true, renewDeadline: 5s, retryPeriod: 5s}", POD).setting());
        assertEquals("cluster.leaseDuration", error("cluster: {enabled: true, leaseDuration: 1500ms}", POD).setting());
        assertEquals("cluster.leaseName", error("cluster: {enabled: true, leaseName: Vedetta_Lease}", POD).setting());
    }

    @Test
    void eventsTargetsMustNotOverlapTheContainerLogs() {
        ConfigException overlap = error("cluster: {enabled: true, events: {dataStreamPrefix: logs-kubernetes.}}", POD);
        assertEquals("cluster.events.dataStreamPrefix", overlap.setting());
        assertTrue(overlap.getMessage().contains("elasticsearch.index.dataStreamPrefix"), overlap.getMessage());
        assertEquals("cluster.events.dailyPrefix",
                error("cluster: {enabled: true, events: {dailyPrefix: Events}}", POD).setting());
    }

    @Test
    void eventsTargetsCanBeNamed() throws IOException {
        ClusterConfig.Events events = load("cluster: {enabled: true, events: {dataStreamPrefix: logs-k8s.events-,"
                + " dailyPrefix: k8s-events}}", POD).cluster().events();
        assertEquals("logs-k8s.events-", events.dataStreamPrefix());
        assertEquals("k8s-events", events.dailyPrefix());
    }

    @Test
    void unknownSettingsAreRefused() {
        assertEquals("cluster.leaseDurration", error("cluster: {leaseDurration: 15s}", POD).setting());
    }
}

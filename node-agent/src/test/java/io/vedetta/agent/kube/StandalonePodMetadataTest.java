package io.vedetta.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.pods.PodInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandalonePodMetadataTest {

    private static final String APP = "a".repeat(64);
    private static final String SIDECAR = "b".repeat(64);

    @TempDir
    Path logs;

    @Test
    void describesPodsFromTheKubeletsLogFileNames() throws IOException {
        Files.createFile(logs.resolve("web-0_shop_app-" + APP + ".log"));
        Files.createFile(logs.resolve("web-0_shop_istio-proxy-" + SIDECAR + ".log"));
        Files.createFile(logs.resolve("not-a-container.log"));
        StandalonePodMetadata metadata = new StandalonePodMetadata(logs, "node-a");

        PodInfo pod = metadata.byContainerId("containerd://" + SIDECAR).orElseThrow();

        assertEquals("shop", pod.namespace());
        assertEquals("web-0", pod.name());
        assertEquals("node-a", pod.nodeName());
        assertEquals(List.of("app", "istio-proxy"),
                pod.containers().stream().map(PodInfo.ContainerInfo::name).sorted().toList());
        assertEquals(APP, pod.container("app").orElseThrow().containerId());
        assertEquals(pod, metadata.byName("shop", "web-0").orElseThrow());
    }

    @Test
    void findsNothingItCannotKnow() throws IOException {
        Files.createFile(logs.resolve("web-0_shop_app-" + APP + ".log"));
        StandalonePodMetadata metadata = new StandalonePodMetadata(logs, "node-a");

        assertTrue(metadata.byUid("uid-1").isEmpty(), "file names carry no pod UID");
        assertTrue(metadata.byName("shop", "web-1").isEmpty());
        assertTrue(metadata.byContainerId(SIDECAR).isEmpty());
        assertTrue(new StandalonePodMetadata(logs.resolve("missing"), "node-a").byName("shop", "web-0").isEmpty());
    }
}

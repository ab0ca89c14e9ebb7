package io.vedetta.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ContainerLogFileNameTest {

    private static final String ID = "4f0b4f5c8e1d2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3";

    @Test
    void readsPodNamespaceContainerAndIdFromKubeletFileName() {
        assertEquals(new ContainerLogFileName("web-0", "shop", "nginx", ID),
                ContainerLogFileName.parse(Path.of("/var/log/containers/web-0_shop_nginx-" + ID + ".log")).orElseThrow());
    }

    @Test
    void keepsDashesInContainerNameAndDotsInPodName() {
        ContainerLogFileName name = ContainerLogFileName.parse(Path.of(
                "/var/log/containers/coredns-5d78c9869d-x7k2p.v2_kube-system_side-car-proxy-" + ID + ".log"))
                .orElseThrow();
        assertEquals("coredns-5d78c9869d-x7k2p.v2", name.podName());
        assertEquals("kube-system", name.namespace());
        assertEquals("side-car-proxy", name.containerName());
        assertEquals(ID, name.containerId());
    }

    @Test
    void rejectsNamesThatAreNotKubeletContainerLogs() {
        assertTrue(ContainerLogFileName.parse(Path.of("/var/log/containers/syslog")).isEmpty());
        assertTrue(ContainerLogFileName.parse(Path.of("web-0_shop_nginx-" + ID + ".log.1")).isEmpty());
        assertTrue(ContainerLogFileName.parse(Path.of("web-0_shop_nginx-abc123.log")).isEmpty());
        assertTrue(ContainerLogFileName.parse(Path.of("web-0_shop-" + ID + ".log")).isEmpty());
        assertTrue(ContainerLogFileName.parse(Path.of("Web-0_shop_nginx-" + ID + ".log")).isEmpty());
        assertTrue(ContainerLogFileName.parse(Path.of("/")).isEmpty());
    }
}

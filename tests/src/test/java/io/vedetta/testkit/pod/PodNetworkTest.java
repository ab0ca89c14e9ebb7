package io.vedetta.testkit.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pod networking: a namespace of its own joined to the node's bridge, or the node's own with hostNetwork. */
class PodNetworkTest extends RunnerNodeTest {

    @Test
    void aPodOffTheHostNetworkHasItsOwnInterfacesAndHostNameAndReachesTheNodesServices() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "from the node".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (RunningPod pod = node.run(RunnerNode.pod("own-network", RunnerNode.SLEEP, "", ""))) {
            InetSocketAddress service = node.forPods(server.getAddress());

            assertEquals(List.of("lo", "eth0"), interfaces(pod.exec("cat", "/proc/net/dev").output()));
            assertEquals("own-network", pod.exec("cat", "/proc/sys/kernel/hostname").output().strip());
            assertEquals("from the node", pod.exec("curl", "-sS", "--max-time", "5",
                    "http://" + service.getHostString() + ":" + service.getPort() + "/").output());
            assertTrue(pod.exec("cat", "/etc/resolv.conf").output().contains("search runner.svc.cluster.local"));
            assertTrue(pod.exec("cat", "/etc/hosts").output().contains(pod.podIp() + "\town-network"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aHostNetworkPodSharesTheNodesInterfacesAndHostName() throws IOException {
        try (RunningPod pod = node.run(RunnerNode.pod("host-network", RunnerNode.SLEEP, "", """
                hostNetwork: true
                dnsPolicy: ClusterFirstWithHostNet
                """))) {
            assertEquals(interfaces(Files.readString(Path.of("/proc/net/dev"))),
                    interfaces(pod.exec("cat", "/proc/net/dev").output()));
            assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), pod.exec("hostname").output().strip());
            assertEquals(node.hostIp(), pod.podIp(), "a host-network pod's IP is the node's");
            assertTrue(pod.exec("cat", "/etc/resolv.conf").output().contains("search runner.svc.cluster.local"),
                    "ClusterFirstWithHostNet keeps the cluster's search path");
        }
    }

    @Test
    void theKubeletReachesAPodOffTheHostNetworkAtItsPodIp() {
        try (RunningPod pod = node.run(HttpTarget.pod("reached",
                "readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}\n", ""))) {
            pod.awaitReady(Duration.ofSeconds(30));

            RunningPod.HttpResult result = pod.get("/anything");

            assertEquals(200, result.status(), result.body());
            assertTrue(pod.podIp().startsWith("10.44.0."), pod.podIp());
        }
    }

    private static List<String> interfaces(String netDev) {
        return netDev.lines().skip(2).map(line -> line.substring(0, line.indexOf(':')).strip()).sorted().toList()
                .stream().sorted((a, b) -> a.equals("lo") ? -1 : b.equals("lo") ? 1 : a.compareTo(b)).toList();
    }
}

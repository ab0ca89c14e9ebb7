package io.vedetta.e2e.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.Http;
import io.vedetta.testkit.pod.RunningPod;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The node series of the agent run as the chart's pod describe the node, as prometheus-node-exporter running on this
 * machine reports it: with hostNetwork (the chart's default) its network interfaces and nodename are the node's, and
 * its file systems are the node's mounts seen through the read-only rootfs mount. Off the host network they describe
 * the pod, which is why the chart uses hostNetwork.
 */
class AgentPodNodeSeriesTest extends AgentPodTest {

    @Test
    void nodeSeriesDescribeTheNodeAsNodeExporterOnItReportsThem() {
        Set<String> mountsBefore = mountPoints(nodeExporter());
        try (RunningPod pod = env.startReady(Map.of())) {
            assertTrue(Http.await(Duration.ofSeconds(30), () -> labels(pod.get("/metrics").body(),
                    "node_network_receive_bytes_total", "device").equals(labels(nodeExporter(),
                    "node_network_receive_bytes_total", "device"))), () -> "interfaces: agent "
                    + labels(pod.get("/metrics").body(), "node_network_receive_bytes_total", "device")
                    + ", node_exporter " + labels(nodeExporter(), "node_network_receive_bytes_total", "device"));
            String agent = pod.get("/metrics").body();
            String exporter = nodeExporter();

            assertEquals(labels(exporter, "node_uname_info", "nodename"), labels(agent, "node_uname_info", "nodename"));
            Set<String> stable = new TreeSet<>(mountsBefore);
            stable.retainAll(mountPoints(exporter));
            Set<String> seen = new TreeSet<>(mountsBefore);
            seen.addAll(mountPoints(exporter));
            assertTrue(mountPoints(agent).containsAll(stable), () -> "mounts of the node missing in the agent's series: "
                    + diff(stable, mountPoints(agent)));
            assertTrue(seen.containsAll(mountPoints(agent)), () -> "the agent reports mounts the node does not have: "
                    + diff(mountPoints(agent), seen));
            assertEquals(Exposition.value(exporter, "node_filesystem_size_bytes", "mountpoint=\"/\""),
                    Exposition.value(agent, "node_filesystem_size_bytes", "mountpoint=\"/\""),
                    "statvfs of the node's / through the pod's /host/root");
        }
    }

    @Test
    void offTheHostNetworkTheNetworkSeriesAndNodenameDescribeThePod() {
        try (RunningPod pod = env.start("defaults", Map.of("hostNetwork", false)).awaitReady(Duration.ofSeconds(90))) {
            String agent = pod.get("/metrics").body();

            assertEquals(Set.of("eth0", "lo"), labels(agent, "node_network_receive_bytes_total", "device"));
            assertEquals(Set.of(pod.name()), labels(agent, "node_uname_info", "nodename"));
        }
    }

    private static String nodeExporter() {
        Http.Response response = Http.get(env.nodeExporterUrl);
        assertEquals(200, response.status(), response.body());
        return response.body();
    }

    private static Set<String> labels(String text, String metric, String label) {
        return Exposition.labelValues(text, metric, label);
    }

    private static Set<String> mountPoints(String text) {
        return Exposition.labelValues(text, "node_filesystem_size_bytes", "mountpoint");
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}

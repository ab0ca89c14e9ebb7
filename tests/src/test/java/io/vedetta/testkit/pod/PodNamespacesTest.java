package io.vedetta.testkit.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The namespaces a pod shares with its node or has of its own, and the kubelet's other per-pod choices. */
class PodNamespacesTest extends RunnerNodeTest {

    @Test
    void hostPidAndHostIpcShareTheNodesNamespacesWhichOtherwiseArePrivate() throws Exception {
        try (RunningPod shared = node.run(RunnerNode.pod("shared", RunnerNode.SLEEP, "", "hostPID: true\nhostIPC: true"));
                RunningPod own = node.run(RunnerNode.pod("own", RunnerNode.SLEEP, "", ""))) {
            for (String ns : new String[] {"pid", "ipc"}) {
                String node = Files.readSymbolicLink(Path.of("/proc/self/ns", ns)).toString();
                assertEquals(node, namespace(shared, ns), ns);
                assertNotEquals(node, namespace(own, ns), ns);
            }
            assertEquals(String.valueOf(shared.containerPid()), RunnerNode.status(shared.containerPid()).get("NSpid"),
                    "no PID namespace of its own: one PID only");
        }
    }

    private static String namespace(RunningPod pod, String ns) throws java.io.IOException {
        return Files.readSymbolicLink(Path.of("/proc", String.valueOf(pod.containerPid()), "ns", ns)).toString();
    }

    @Test
    void theServiceAccountIsMountedUnlessAutomountIsOff() {
        try (RunningPod mounted = node.run(RunnerNode.pod("token", RunnerNode.SLEEP, "", ""));
                RunningPod unmounted = node.run(RunnerNode.pod("no-token", RunnerNode.SLEEP, "",
                        "automountServiceAccountToken: false"))) {
            assertEquals("vedetta-test-service-account-token",
                    mounted.exec("cat", PodSandbox.SERVICE_ACCOUNT_DIR + "/token").output());
            assertEquals("runner", mounted.exec("cat", PodSandbox.SERVICE_ACCOUNT_DIR + "/namespace").output());
            assertTrue(mounted.exec("cat", PodSandbox.SERVICE_ACCOUNT_DIR + "/ca.crt").output()
                    .startsWith("-----BEGIN CERTIFICATE-----"));
            assertNotEquals(0, unmounted.exec("test", "-e", PodSandbox.SERVICE_ACCOUNT_DIR + "/token").exit());
        }
    }

    @Test
    void dnsPolicyDefaultGivesTheNodesResolverAndWorkingDirIsTheProcesssDirectory() throws Exception {
        try (RunningPod pod = node.run(RunnerNode.pod("dns-default", RunnerNode.SLEEP, "workingDir: /usr/share",
                "dnsPolicy: Default"))) {
            assertEquals(Files.readString(Path.of("/etc/resolv.conf")), pod.exec("cat", "/etc/resolv.conf").output());
            assertEquals("/usr/share", Files.readSymbolicLink(Path.of("/proc", String.valueOf(pod.containerPid()), "cwd"))
                    .toString());
        }
    }

    @Test
    void aNodeSelectorTheNodeDoesNotMatchIsRefused() {
        PodStartException e = assertThrows(PodStartException.class, () -> node.run(RunnerNode.pod("elsewhere",
                RunnerNode.SLEEP, "", "nodeSelector: {kubernetes.io/os: windows}")));

        assertTrue(e.getMessage().contains("nodeSelector"), e.getMessage());
    }
}

package io.vedetta.testkit.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container's user, capabilities, no_new_privs and root file system, as containerd and runc set them. */
class PodSecurityTest extends RunnerNodeTest {

    private static final String SLEEP = RunnerNode.SLEEP;
    @Test
    void rootKeepsOnlyTheAddedCapabilityInItsBoundingPermittedAndEffectiveSets() {
        try (RunningPod pod = node.run(RunnerNode.pod("caps-root", SLEEP, """
                securityContext:
                  allowPrivilegeEscalation: false
                  capabilities: {drop: [ALL], add: [DAC_READ_SEARCH]}
                """, ""))) {
            Map<String, String> status = RunnerNode.status(pod.containerPid());

            assertEquals("0000000000000004", status.get("CapBnd"), "DAC_READ_SEARCH is bit 2");
            assertEquals("0000000000000004", status.get("CapPrm"));
            assertEquals("0000000000000004", status.get("CapEff"));
            assertEquals("0000000000000000", status.get("CapInh"), "containerd sets no inheritable capabilities");
            assertEquals("0000000000000000", status.get("CapAmb"), "Kubernetes sets no ambient capabilities");
            assertEquals("0\t0\t0\t0", status.get("Uid"));
        }
    }

    @Test
    void aCapabilityAddedForAnotherUserIsInTheBoundingSetOnly() {
        try (RunningPod pod = node.run(RunnerNode.pod("caps-user", SLEEP, """
                securityContext:
                  runAsUser: 10001
                  runAsGroup: 10001
                  capabilities: {drop: [ALL], add: [DAC_READ_SEARCH]}
                """, ""))) {
            Map<String, String> status = RunnerNode.status(pod.containerPid());

            assertEquals("0000000000000004", status.get("CapBnd"));
            assertEquals("0000000000000000", status.get("CapPrm"), "an exec by a non-root user keeps no capability");
            assertEquals("0000000000000000", status.get("CapEff"));
            assertEquals("10001\t10001\t10001\t10001", status.get("Uid"));
            assertEquals("10001\t10001\t10001\t10001", status.get("Gid"));
        }
    }

    @Test
    void withoutDropsTheRuntimesDefaultCapabilitiesRemain() {
        try (RunningPod pod = node.run(RunnerNode.pod("caps-default", SLEEP, "", ""))) {
            assertEquals("00000000a80425fb", RunnerNode.status(pod.containerPid()).get("CapBnd"),
                    "containerd's (and Docker's) default set");
        }
    }

    @Test
    void theContainersSecurityContextOverridesThePods() {
        try (RunningPod pod = node.run(RunnerNode.pod("users", SLEEP, """
                securityContext: {runAsUser: 2000}
                """, """
                securityContext: {runAsUser: 1000, runAsGroup: 3000}
                """))) {
            Map<String, String> status = RunnerNode.status(pod.containerPid());

            assertEquals("2000\t2000\t2000\t2000", status.get("Uid"));
            assertEquals("3000\t3000\t3000\t3000", status.get("Gid"));
        }
    }

    @Test
    void noNewPrivsIsSetOnlyWhenPrivilegeEscalationIsForbidden() {
        try (RunningPod forbidden = node.run(RunnerNode.pod("nnp", SLEEP, """
                securityContext: {allowPrivilegeEscalation: false}
                """, ""));
                RunningPod allowed = node.run(RunnerNode.pod("no-nnp", SLEEP, "", ""))) {
            assertEquals("1", RunnerNode.status(forbidden.containerPid()).get("NoNewPrivs"));
            assertEquals("0", RunnerNode.status(allowed.containerPid()).get("NoNewPrivs"));
        }
    }

    @Test
    void runAsNonRootRefusesAContainerThatWouldRunAsRoot() {
        PodStartException e = assertThrows(PodStartException.class, () -> node.run(RunnerNode.pod("non-root", SLEEP, "",
                "securityContext: {runAsNonRoot: true}")));

        assertTrue(e.getMessage().contains("runAsNonRoot"), e.getMessage());
    }

    @Test
    void aReadOnlyRootRefusesWritesAndAWritableRootNeverWritesTheHost() {
        Path probe = Path.of("/etc/vedetta-pod-runner-probe");
        try (RunningPod readOnly = node.run(RunnerNode.pod("ro-root", SLEEP, """
                securityContext: {readOnlyRootFilesystem: true}
                """, ""));
                RunningPod writable = node.run(RunnerNode.pod("rw-root", SLEEP, "", ""))) {
            RunningPod.ExecResult refused = readOnly.exec("touch", probe.toString());
            RunningPod.ExecResult written = writable.exec("touch", probe.toString());

            assertNotEquals(0, refused.exit());
            assertTrue(refused.output().contains("Read-only file system"), refused.output());
            assertEquals(0, written.exit(), written.output());
            assertEquals(0, writable.exec("test", "-e", probe.toString()).exit(), "the container sees what it wrote");
            assertFalse(Files.exists(probe), "the host's /etc is the image, never written");
        }
    }

    @Test
    void privilegedContainersAreRefused() {
        assertThrows(UnsupportedPodSpecException.class, () -> node.run(RunnerNode.pod("privileged", SLEEP,
                "securityContext: {privileged: true}", "")));
    }

    @Test
    void theContainerIsPidOneOfItsOwnPidNamespaceWithThePodsHostName() {
        try (RunningPod pod = node.run(RunnerNode.pod("pid-uts", SLEEP, "", ""))) {
            String nspid = RunnerNode.status(pod.containerPid()).get("NSpid");

            assertEquals(pod.containerPid() + "\t1", nspid, "this machine's PID, then 1 in the container's namespace");
            assertEquals("pid-uts", pod.exec("hostname").output().strip());
        }
    }
}

package io.vedetta.testkit.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** hostPath, ConfigMap, Secret and emptyDir volumes, mounted as the kubelet and the runtime mount them. */
class PodVolumesTest extends RunnerNodeTest {

    @Test
    void aReadOnlyHostPathRefusesWritesAndAWritableOneWritesTheNode() throws IOException {
        Files.createDirectories(node.hostPath("/srv/shared"));
        try (RunningPod pod = node.run(RunnerNode.pod("host-paths", RunnerNode.SLEEP, """
                volumeMounts:
                - {name: ro, mountPath: /data/ro, readOnly: true}
                - {name: rw, mountPath: /data/rw}
                """, """
                volumes:
                - {name: ro, hostPath: {path: /srv/shared, type: Directory}}
                - {name: rw, hostPath: {path: /srv/shared, type: Directory}}
                """))) {
            RunningPod.ExecResult refused = pod.exec("sh", "-c", "echo no > /data/ro/file");
            RunningPod.ExecResult written = pod.exec("sh", "-c", "echo yes > /data/rw/file");

            assertNotEquals(0, refused.exit());
            assertTrue(refused.output().contains("Read-only file system"), refused.output());
            assertEquals(0, written.exit(), written.output());
            assertEquals("yes\n", Files.readString(node.hostPath("/srv/shared").resolve("file")));
        }
    }

    @Test
    void aReadOnlyHostPathsSubMountsStayWritableUnlessTheMountIsRecursivelyReadOnly() throws IOException {
        Path host = Files.createDirectories(node.hostPath("/srv/with-sub-mount"));
        Path sub = Files.createDirectories(host.resolve("sub"));
        Shell.run("mount", "-t", "tmpfs", "vedetta-sub-mount-test", sub.toString());
        try (RunningPod pod = node.run(RunnerNode.pod("recursive-ro", RunnerNode.SLEEP, """
                volumeMounts:
                - {name: host, mountPath: /top-only, readOnly: true}
                - {name: host, mountPath: /recursive, readOnly: true, recursiveReadOnly: IfPossible}
                """, "volumes: [{name: host, hostPath: {path: /srv/with-sub-mount}}]"))) {
            assertEquals(0, pod.exec("touch", "/top-only/sub/written").exit(),
                    "as with runc: a read-only bind leaves the source's sub-mounts writable");
            RunningPod.ExecResult refused = pod.exec("touch", "/recursive/sub/refused");
            assertTrue(refused.output().contains("Read-only file system"), refused.output());
            assertTrue(pod.exec("touch", "/recursive/top").output().contains("Read-only file system"));
        } finally {
            Shell.attempt("umount", sub.toString());
        }
        assertThrows(UnsupportedPodSpecException.class, () -> node.run(RunnerNode.pod("recursive-rw", RunnerNode.SLEEP,
                "volumeMounts: [{name: host, mountPath: /rw, recursiveReadOnly: Enabled}]",
                "volumes: [{name: host, hostPath: {path: /srv/with-sub-mount}}]")));
    }

    @Test
    void hostPathTypesAreCheckedAndCreatedAsTheKubeletAndTheRuntimeDo() throws IOException {
        PodStartException missing = assertThrows(PodStartException.class, () -> node.run(RunnerNode.pod("missing-dir",
                RunnerNode.SLEEP, "volumeMounts: [{name: v, mountPath: /v}]",
                "volumes: [{name: v, hostPath: {path: /srv/absent, type: Directory}}]")));
        assertTrue(missing.getMessage().contains("hostPath type check failed"), missing.getMessage());
        PodStartException noParent = assertThrows(PodStartException.class, () -> node.run(RunnerNode.pod("no-parent",
                RunnerNode.SLEEP, "volumeMounts: [{name: v, mountPath: /v.crt}]",
                "volumes: [{name: v, hostPath: {path: /srv/nowhere/v.crt, type: FileOrCreate}}]")));
        assertTrue(noParent.getMessage().contains("parent"), noParent.getMessage());

        Files.createDirectories(node.hostPath("/srv/pki"));
        try (RunningPod pod = node.run(RunnerNode.pod("created", RunnerNode.SLEEP, """
                volumeMounts:
                - {name: made, mountPath: /made}
                - {name: untyped, mountPath: /untyped.crt}
                - {name: file, mountPath: /file.crt}
                """, """
                volumes:
                - {name: made, hostPath: {path: /srv/made, type: DirectoryOrCreate}}
                - {name: untyped, hostPath: {path: /srv/untyped.crt}}
                - {name: file, hostPath: {path: /srv/pki/file.crt, type: FileOrCreate}}
                """))) {
            assertTrue(Files.isDirectory(node.hostPath("/srv/made")));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(node.hostPath("/srv/made"))));
            assertTrue(Files.isDirectory(node.hostPath("/srv/untyped.crt")), "the runtime makes a missing path a directory");
            assertTrue(Files.isRegularFile(node.hostPath("/srv/pki/file.crt")));
            assertEquals(0, pod.exec("test", "-f", "/file.crt").exit());
        }
    }

    @Test
    void configMapAndSecretKeysAreReadOnlyFilesWithTheirModes() {
        PodManifest manifest = RunnerNode.pod("keys", RunnerNode.SLEEP, """
                volumeMounts:
                - {name: config, mountPath: /etc/app}
                - {name: credentials, mountPath: /var/run/secrets/vedetta-runner-test}
                """, """
                volumes:
                - name: config
                  configMap: {name: app}
                - name: credentials
                  secret:
                    secretName: app-credentials
                    defaultMode: 256
                    items: [{key: pass, path: password}]
                """).with(PodManifest.object("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app, namespace: runner}
                data: {app.yaml: "port: 1"}
                """), PodManifest.object("""
                apiVersion: v1
                kind: Secret
                metadata: {name: app-credentials, namespace: runner}
                data: {pass: czNjcmV0, user: dmVkZXR0YQ==}
                """));
        try (RunningPod pod = node.run(manifest)) {
            assertEquals("port: 1", pod.exec("cat", "/etc/app/app.yaml").output());
            assertEquals("644", pod.exec("stat", "-L", "-c", "%a", "/etc/app/app.yaml").output().strip());
            assertEquals("s3cret", pod.exec("cat", "/var/run/secrets/vedetta-runner-test/password").output());
            assertEquals("400", pod.exec("stat", "-L", "-c", "%a", "/var/run/secrets/vedetta-runner-test/password")
                    .output().strip());
            assertNotEquals(0, pod.exec("test", "-e", "/var/run/secrets/vedetta-runner-test/user").exit(),
                    "only the items asked for");
            assertEquals("..data/password", pod.exec("readlink", "/var/run/secrets/vedetta-runner-test/password").output().strip(),
                    "the kubelet's layout: keys link through ..data, swapped atomically on update");
            assertTrue(pod.exec("touch", "/etc/app/new").output().contains("Read-only file system"),
                    "a ConfigMap is mounted read-only although the mount does not say so");
            assertFalse(Files.exists(Path.of("/run/secrets/vedetta-runner-test")),
                "/var/run links to /run inside the container's root, never to this machine's");
        }
    }

    @Test
    void anEmptyDirIsAPrivateTmpfsOfItsSizeLimitThatOutlivesTheContainer() {
        try (RunningPod pod = node.run(RunnerNode.pod("scratch", RunnerNode.SLEEP, """
                volumeMounts: [{name: scratch, mountPath: /scratch}]
                securityContext: {runAsUser: 10001}
                """, """
                volumes: [{name: scratch, emptyDir: {sizeLimit: 1Mi}}]
                """))) {
            assertEquals("tmpfs", pod.exec("stat", "-f", "-c", "%T", "/scratch").output().strip());
            assertEquals(0, pod.exec("sh", "-c", "echo kept > /scratch/note").exit(), "writable by any user (mode 0777)");
            RunningPod.ExecResult overflow = pod.exec("dd", "if=/dev/zero", "of=/scratch/big", "bs=64k", "count=32");
            assertNotEquals(0, overflow.exit(), "2 MiB do not fit in 1Mi");
            assertTrue(overflow.output().contains("No space left on device"), overflow.output());

            pod.killContainer();
            pod.awaitRestarts(1, Duration.ofSeconds(30));

            assertEquals("kept\n", pod.exec("cat", "/scratch/note").output(), "the volume lives as long as the pod");
        }
    }

    @Test
    void hostToContainerPropagationShowsMountsTheHostMakesLaterAndNoneDoesNot() throws IOException {
        Path shared = Files.createDirectories(node.hostPath("/srv/mnt"));
        Shell.run("mount", "--bind", shared.toString(), shared.toString());
        Shell.run("mount", "--make-shared", shared.toString());
        Path later = Files.createDirectories(shared.resolve("later"));
        try (RunningPod pod = node.run(RunnerNode.pod("propagation", RunnerNode.SLEEP, """
                volumeMounts:
                - {name: host, mountPath: /host-to-container, readOnly: true, mountPropagation: HostToContainer}
                - {name: host, mountPath: /private, readOnly: true}
                """, "volumes: [{name: host, hostPath: {path: /srv/mnt}}]"))) {
            Shell.run("mount", "-t", "tmpfs", "vedetta-propagation-test", later.toString());
            Files.writeString(later.resolve("marker"), "mounted after the pod started");

            assertEquals("mounted after the pod started", pod.exec("cat", "/host-to-container/later/marker").output());
            assertNotEquals(0, pod.exec("test", "-e", "/private/later/marker").exit());
        } finally {
            Shell.attempt("umount", later.toString());
            Shell.attempt("umount", shared.toString());
        }
    }
}

package io.vedetta.testkit.pod;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.testkit.ContainerLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Container logs on the node as the kubelet and containerd leave them: {@code /var/log/pods/<ns>_<pod>_<uid>/
 * <container>/0.log} written by root with mode 0640 in directories only root may enter (0700), linked from
 * {@code /var/log/containers/<pod>_<ns>_<container>-<id>.log} by an absolute path, which resolves inside the agent's
 * pod because the node's /var/log is mounted at the same path there.
 */
public final class KubeletLogs {

    private final Path varLog;

    /** The layout under {@code varLog}, the node's /var/log (a {@link PodNode#hostPath} in the fake host tree). */
    public KubeletLogs(Path varLog) {
        this.varLog = varLog;
        try {
            Files.createDirectories(varLog.resolve("containers"));
            Files.createDirectories(varLog.resolve("pods"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the log file of {@code container} of {@code pod}; returns its path on this machine. */
    public Path create(Pod pod, String container) {
        ContainerStatus status = pod.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getName().equals(container)).findFirst().orElseThrow();
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String podDir = ns + "_" + name + "_" + pod.getMetadata().getUid();
        try {
            Path dir = Files.createDirectories(varLog.resolve("pods").resolve(podDir).resolve(container));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwx------"));
            Path file = Files.createFile(dir.resolve("0.log"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            Files.createSymbolicLink(varLog.resolve("containers").resolve(name + "_" + ns + "_" + container + "-"
                    + status.getContainerID().replaceFirst("^[a-z-]+://", "") + ".log"),
                    Path.of("/var/log/pods", podDir, container, "0.log"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends CRI lines stamped now, as containerd writes a container's output. */
    public static void append(Path file, String... messages) {
        ContainerLogs.appendCri(file, "stdout", messages);
    }
}

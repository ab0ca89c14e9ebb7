package io.vedetta.agent.kube;

import io.vedetta.pods.ContainerLogFileName;
import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod metadata without the Kubernetes API ({@code kubernetes.enabled: false}): what the kubelet's
 * {@code /var/log/containers/<pod>_<namespace>_<container>-<id>.log} file names say, and nothing more
 * (no UID, labels, owner or images). The shipper asks once per file, so reading the directory per call is cheap.
 */
public final class StandalonePodMetadata implements PodMetadata {

    private static final Logger LOG = LoggerFactory.getLogger(StandalonePodMetadata.class);

    private final Path containerLogDir;
    private final String nodeName;

    public StandalonePodMetadata(Path containerLogDir, String nodeName) {
        this.containerLogDir = containerLogDir;
        this.nodeName = nodeName;
    }

    /** File names carry no pod UID. */
    @Override
    public Optional<PodInfo> byUid(String podUid) {
        return Optional.empty();
    }

    @Override
    public Optional<PodInfo> byName(String namespace, String podName) {
        return pod(f -> f.namespace().equals(namespace) && f.podName().equals(podName));
    }

    @Override
    public Optional<PodInfo> byContainerId(String containerId) {
        String id = PodStates.bareContainerId(containerId);
        return files().stream().filter(f -> f.containerId().equals(id)).findFirst()
                .flatMap(f -> byName(f.namespace(), f.podName()));
    }

    private Optional<PodInfo> pod(Predicate<ContainerLogFileName> match) {
        List<ContainerLogFileName> containers = files().stream().filter(match).toList();
        if (containers.isEmpty()) {
            return Optional.empty();
        }
        ContainerLogFileName first = containers.get(0);
        return Optional.of(new PodInfo(first.namespace(), first.podName(), "", nodeName, Map.of(),
                Map.of(), "", "", containers.stream()
                        .map(c -> new PodInfo.ContainerInfo(c.containerName(), "", "", c.containerId(), "", 0))
                        .toList()));
    }

    private List<ContainerLogFileName> files() {
        List<ContainerLogFileName> names = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(containerLogDir, "*.log")) {
            dir.forEach(p -> ContainerLogFileName.parse(p).ifPresent(names::add));
        } catch (IOException e) {
            // The shipper lists the same directory and counts that failure; here the file just goes unenriched.
            LOG.warn("cannot list {} for pod metadata: {}", containerLogDir, e.toString());
        }
        return names;
    }
}

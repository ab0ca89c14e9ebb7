package io.vedetta.agent.kube;

import io.vedetta.pods.ContainerLogFileName;
import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod metadata without the Kubernetes API ({@code kubernetes.enabled: false}): what the kubelet's
 * {@code /var/log/containers/<pod>_<namespace>_<container>-<id>.log} file names say, and nothing more
 * (no UID, labels, owner or images). The shipper asks once per file: the directory is listed into an index, again
 * when a name is not found in it (at most ten times a second), since listing it per call cost a listing
 * of every file per file, quadratic in a directory of thousands.
 */
public final class StandalonePodMetadata implements PodMetadata {

    private static final Logger LOG = LoggerFactory.getLogger(StandalonePodMetadata.class);

    private static final long RELIST_NANOS = 100_000_000L;

    private final Path containerLogDir;
    private final String nodeName;
    private Map<String, List<ContainerLogFileName>> byPod = Map.of();
    private Map<String, ContainerLogFileName> byId = Map.of();
    private long listedAt;
    private boolean listed;

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
    public synchronized Optional<PodInfo> byName(String namespace, String podName) {
        String key = namespace + '/' + podName;
        if (!byPod.containsKey(key)) {
            relist();
        }
        return pod(byPod.getOrDefault(key, List.of()));
    }

    @Override
    public synchronized Optional<PodInfo> byContainerId(String containerId) {
        String id = PodStates.bareContainerId(containerId);
        if (!byId.containsKey(id)) {
            relist();
        }
        ContainerLogFileName file = byId.get(id);
        return file == null ? Optional.empty() : pod(byPod.getOrDefault(file.namespace() + '/' + file.podName(),
                List.of()));
    }

    private Optional<PodInfo> pod(List<ContainerLogFileName> containers) {
        if (containers.isEmpty()) {
            return Optional.empty();
        }
        ContainerLogFileName first = containers.get(0);
        return Optional.of(new PodInfo(first.namespace(), first.podName(), "", nodeName, Map.of(),
                Map.of(), "", "", containers.stream()
                        .map(c -> new PodInfo.ContainerInfo(c.containerName(), "", "", c.containerId(), "", 0))
                        .toList()));
    }

    /** Lists the directory again unless that was done in the last 100 ms. */
    private void relist() {
        long now = System.nanoTime();
        if (listed && now - listedAt < RELIST_NANOS) {
            return;
        }
        listed = true;
        listedAt = now;
        Map<String, List<ContainerLogFileName>> pods = new HashMap<>();
        Map<String, ContainerLogFileName> ids = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(containerLogDir, "*.log")) {
            dir.forEach(p -> ContainerLogFileName.parse(p).ifPresent(f -> {
                pods.computeIfAbsent(f.namespace() + '/' + f.podName(), k -> new ArrayList<>()).add(f);
                ids.putIfAbsent(f.containerId(), f);
            }));
        } catch (IOException e) {
            // The shipper lists the same directory and counts that failure; here the file just goes unenriched.
            LOG.warn("cannot list {} for pod metadata: {}", containerLogDir, e.toString());
        }
        byPod = pods;
        byId = ids;
    }
}

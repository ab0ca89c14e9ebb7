package io.vedetta.agent.metrics.cgroup;

import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.metrics.FailureCounter;
import io.vedetta.agent.metrics.FamilyNames;
import io.vedetta.agent.metrics.MetricSource;
import io.vedetta.agent.metrics.SeriesBuffer;
import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container and pod series under cAdvisor's names, read straight from cgroups: the alternative to the kubelet's
 * {@code /metrics/cadvisor} when that is off or too coarse. Each kubepods cgroup is matched to a pod of the
 * discovery cache by container ID, else by pod UID; a cgroup whose pod is unknown is dropped (as kube-prometheus
 * drops series without a pod), one that cannot be read is skipped, and both are counted by reason.
 */
public final class CgroupSource implements MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(CgroupSource.class);
    private static final FamilyNames FAMILIES = FamilyNames.of(ContainerMetrics.ALL);
    static final String POD_NOT_FOUND = "pod_not_found";
    static final String CONTAINER_NOT_FOUND = "container_not_found";
    static final String UNREADABLE = "unreadable";

    private final CgroupReader reader;
    private final PodMetadata pods;
    private final FailureCounter dropped;

    public CgroupSource(CgroupReader reader, PodMetadata pods, MeterRegistry registry) {
        this.reader = reader;
        this.pods = pods;
        this.dropped = new FailureCounter(registry, "vedetta.cgroup.dropped",
                ContainerMetrics.CGROUPS_DROPPED.help(), "reason", LOG);
        dropped.register(POD_NOT_FOUND);
        dropped.register(CONTAINER_NOT_FOUND);
        dropped.register(UNREADABLE);
    }

    @Override
    public String name() {
        return "cgroup";
    }

    @Override
    public FamilyNames families() {
        return FAMILIES;
    }

    @Override
    public MetricSnapshots collect() throws IOException {
        SeriesBuffer out = new SeriesBuffer();
        for (String id : reader.kubepodsCgroups()) {
            Optional<KubepodsPath> path = KubepodsPath.parse(id);
            if (path.isPresent()) {
                collect(out, id, path.get());
            }
        }
        return out.build();
    }

    private void collect(SeriesBuffer out, String id, KubepodsPath path) {
        Optional<PodInfo> pod = path.containerId().flatMap(pods::byContainerId).or(() -> pods.byUid(path.podUid()));
        if (pod.isEmpty()) {
            dropped.record(POD_NOT_FOUND, id, "no pod with UID " + path.podUid() + " in the discovery cache");
            return;
        }
        String container = "";
        String image = "";
        String name = "";
        if (path.containerId().isPresent()) {
            String containerId = path.containerId().get();
            Optional<PodInfo.ContainerInfo> info = pod.get().containers().stream()
                    .filter(c -> containerId.equals(c.containerId())).findFirst();
            if (info.isEmpty()) {
                dropped.record(CONTAINER_NOT_FOUND, id, "pod " + pod.get().namespace() + "/" + pod.get().name()
                        + " lists no container " + containerId + " (a sandbox, or status not yet seen)");
                return;
            }
            container = info.get().name();
            image = info.get().image();
            name = cadvisorName(pod.get(), info.get());
        }
        CgroupStats stats;
        try {
            stats = reader.read(id);
        } catch (IOException | RuntimeException e) {
            dropped.record(UNREADABLE, id, e.toString());
            return;
        }
        add(out, stats, container, id, image, name, pod.get().namespace(), pod.get().name());
    }

    /**
     * The {@code name} label cAdvisor gives a container: the first alias its runtime handler records, which is the
     * container ID for containerd and the runtime's container name for docker (cri-dockerd) and CRI-O, which both
     * name a Kubernetes container {@code k8s_<container>_<pod>_<namespace>_<pod uid>_<attempt>}. A pod's own cgroup
     * has no alias, hence no name.
     */
    static String cadvisorName(PodInfo pod, PodInfo.ContainerInfo container) {
        return switch (container.runtime()) {
            case "docker", "cri-o" -> "k8s_" + container.name() + "_" + pod.name() + "_" + pod.namespace() + "_"
                    + pod.uid() + "_" + container.attempt();
            default -> container.containerId();
        };
    }

    private static void add(SeriesBuffer out, CgroupStats s, String... labels) {
        if (s.cpuUsageSeconds() > 0) {
            // cAdvisor leaves out the usage of a cgroup that has not run yet.
            out.add(ContainerMetrics.CPU_USAGE_SECONDS, s.cpuUsageSeconds(), labels[0], "total", labels[1],
                    labels[2], labels[3], labels[4], labels[5]);
        }
        if (s.cpuQuota() != 0) {
            // cAdvisor exposes CFS counters and the quota only for cgroups with a quota.
            out.add(ContainerMetrics.CPU_CFS_PERIODS, s.cfsPeriods(), labels);
            out.add(ContainerMetrics.CPU_CFS_THROTTLED_PERIODS, s.cfsThrottledPeriods(), labels);
            out.add(ContainerMetrics.CPU_CFS_THROTTLED_SECONDS, s.cfsThrottledSeconds(), labels);
            out.add(ContainerMetrics.SPEC_CPU_QUOTA, s.cpuQuota(), labels);
        }
        out.add(ContainerMetrics.SPEC_CPU_PERIOD, s.cpuPeriod(), labels);
        out.add(ContainerMetrics.MEMORY_USAGE, s.memoryUsageBytes(), labels);
        out.add(ContainerMetrics.MEMORY_WORKING_SET, s.memoryWorkingSetBytes(), labels);
        out.add(ContainerMetrics.MEMORY_RSS, s.memoryRssBytes(), labels);
        out.add(ContainerMetrics.MEMORY_CACHE, s.memoryCacheBytes(), labels);
        out.add(ContainerMetrics.SPEC_MEMORY_LIMIT, s.memoryLimitBytes(), labels);
        s.oomKills().ifPresent(n -> out.add(ContainerMetrics.OOM_EVENTS, n, labels));
    }
}

package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent pod: where it runs, what it may do, and what of the host it sees. */
class ChartDaemonSetTest {

    static List<Path> scenarios() {
        return Chart.scenarios();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void containerHoldsTheRestrictedSecurityContext(Path scenario) {
        PodSpec pod = podSpec(Chart.render(scenario).daemonSet());
        SecurityContext security = agent(pod).getSecurityContext();
        boolean logs = !scenario.getFileName().toString().startsWith("logs-off");

        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals(true, security.getReadOnlyRootFilesystem());
        assertEquals(false, security.getAllowPrivilegeEscalation());
        assertEquals(false, security.getPrivileged());
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
        assertEquals(logs ? List.of("DAC_READ_SEARCH") : List.of(), security.getCapabilities().getAdd());
        assertEquals(!logs, pod.getSecurityContext().getRunAsNonRoot());
        assertFalse(Boolean.TRUE.equals(pod.getHostPID()) || Boolean.TRUE.equals(pod.getHostIPC()));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void hostPathsAreMountedReadOnlyExceptTheStateDirectory(Path scenario) {
        PodSpec pod = podSpec(Chart.render(scenario).daemonSet());
        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, Function.identity()));
        Map<String, String> mounted = new TreeMap<>();

        for (VolumeMount mount : agent(pod).getVolumeMounts()) {
            Volume volume = volumes.get(mount.getName());
            if (volume.getHostPath() == null) {
                continue;
            }
            boolean state = volume.getHostPath().getPath().equals("/var/lib/vedetta");
            assertEquals(!state, Boolean.TRUE.equals(mount.getReadOnly()),
                    () -> volume.getHostPath().getPath() + " read-only must be " + !state);
            mounted.put(volume.getHostPath().getPath(), mount.getMountPath());
        }

        Map<String, String> expected = new TreeMap<>(Map.of("/proc", "/host/proc", "/sys", "/host/sys", "/", "/host/root"));
        if (!scenario.getFileName().toString().startsWith("kubelet-apiserver-proxy")) {
            expected.put("/var/lib/kubelet/pki/kubelet.crt", "/host/var/lib/kubelet/pki/kubelet.crt");
        }
        if (!scenario.getFileName().toString().startsWith("logs-off")) {
            expected.putAll(Map.of("/var/log", "/var/log", "/var/lib/docker/containers", "/var/lib/docker/containers",
                    "/var/lib/vedetta", "/var/lib/vedetta"));
        }
        assertEquals(expected, mounted);
    }

    @Test
    void procAndSysAreReadOnlyWithEverySubMount() {
        PodSpec pod = podSpec(Chart.render(Chart.scenario("defaults")).daemonSet());

        for (String volume : List.of("proc", "sys")) {
            assertEquals("IfPossible", mount(pod, volume).getRecursiveReadOnly(), volume);
            assertEquals(true, mount(pod, volume).getReadOnly(), volume);
        }
    }

    @Test
    void hostRootSeesFileSystemsMountedLater() {
        VolumeMount rootfs = mount(podSpec(Chart.render(Chart.scenario("defaults")).daemonSet()), "rootfs");

        assertEquals("/host/root", rootfs.getMountPath());
        assertEquals("HostToContainer", rootfs.getMountPropagation());
    }

    @Test
    void hostRootFileSystemCanStayUnmountedWhileProcAndSysAreRead() {
        PodSpec pod = podSpec(Chart.render(Map.of("hostPaths.rootfs", false)).daemonSet());

        assertEquals(List.of("config", "tmp", "proc", "sys", "varlog", "docker-containers", "state", "kubelet-serving-cert"),
                agent(pod).getVolumeMounts().stream().map(VolumeMount::getName).toList());
    }

    @Test
    void withoutNodeAndCgroupMetricsNothingOfTheHostIsMountedButLogs() {
        PodSpec pod = podSpec(Chart.render(Map.of("config.metrics.node.enabled", false)).daemonSet());

        assertEquals(List.of("config", "tmp", "varlog", "docker-containers", "state", "kubelet-serving-cert"),
                agent(pod).getVolumeMounts().stream().map(VolumeMount::getName).toList());
    }

    @Test
    void cgroupMetricsAloneMountProcAndSysButNotTheRootFileSystem() {
        PodSpec pod = podSpec(Chart.render(Map.of("config.metrics.node.enabled", false,
                "config.metrics.cgroup.enabled", true, "config.metrics.hostRoot", "/node")).daemonSet());

        assertEquals("/node/sys", mount(pod, "sys").getMountPath());
        assertEquals("/node/proc", mount(pod, "proc").getMountPath());
        assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getName().equals("rootfs")));
    }

    @Test
    void stateDirectoryMountFollowsTheConfiguredStateDir() {
        PodSpec pod = podSpec(Chart.render(Map.of("config.logs.stateDir", "/data/vedetta")).daemonSet());

        VolumeMount state = mount(pod, "state");
        assertEquals("/data/vedetta", state.getMountPath());
        assertNull(state.getReadOnly());
    }

    @Test
    void runsOnEveryNodeIncludingTaintedControlPlanes() {
        PodSpec pod = podSpec(Chart.render(Chart.scenario("defaults")).daemonSet());

        Toleration all = new TolerationBuilder().withOperator("Exists").build();
        assertEquals(List.of(all), pod.getTolerations());
    }

    @Test
    void rollsOutNodeByNodeWithTheConfiguredPriority() {
        DaemonSet daemonSet = Chart.render(Map.of("priorityClassName", "system-node-critical",
                "updateStrategy.maxUnavailable", "10%")).daemonSet();

        assertEquals("RollingUpdate", daemonSet.getSpec().getUpdateStrategy().getType());
        assertEquals("10%", daemonSet.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal());
        assertEquals("system-node-critical", podSpec(daemonSet).getPriorityClassName());
    }

    @Test
    void knowsItsNodePodAndNamespaceFromTheDownwardApi() {
        Container agent = agent(podSpec(Chart.render(Chart.scenario("defaults")).daemonSet()));

        Map<String, String> fields = agent.getEnv().stream().filter(e -> e.getValueFrom() != null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
        assertEquals(Map.of("NODE_NAME", "spec.nodeName", "HOST_IP", "status.hostIP",
                "POD_NAME", "metadata.name", "POD_NAMESPACE", "metadata.namespace", "POD_IP", "status.podIP"), fields);
    }

    @Test
    void probesUseTheAgentsHealthEndpointsOnItsConfiguredPort() {
        Container agent = agent(podSpec(Chart.render(Map.of("config.http.port", 9200)).daemonSet()));

        assertEquals("/healthz", agent.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/readyz", agent.getReadinessProbe().getHttpGet().getPath());
        assertEquals("http-metrics", agent.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals(9200, agent.getPorts().get(0).getContainerPort());
        assertEquals("http-metrics", agent.getPorts().get(0).getName());
    }

    @Test
    void runsTheChartsImageAtItsAppVersionWithResources() {
        Container agent = agent(podSpec(Chart.render(Chart.scenario("defaults")).daemonSet()));

        assertEquals("ghcr.io/vedetta/vedetta-agent:0.1.0", agent.getImage());
        assertEquals(List.of("--config", "/etc/vedetta/vedetta.yaml"), agent.getArgs());
        assertTrue(agent.getResources().getLimits().containsKey("memory"));
        assertTrue(agent.getResources().getRequests().containsKey("cpu"));
    }

    @Test
    void sharesTheNodesNetworkSoNodeSeriesDescribeTheNodeAndStillResolvesClusterNames() {
        PodSpec pod = podSpec(Chart.render(Chart.scenario("defaults")).daemonSet());

        assertEquals(true, pod.getHostNetwork());
        assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy());
    }

    @Test
    void withoutHostNetworkThePodKeepsANetworkOfItsOwnAndTheDefaultDnsPolicy() {
        PodSpec pod = podSpec(Chart.render(Map.of("hostNetwork", false)).daemonSet());

        assertNull(pod.getHostNetwork());
        assertNull(pod.getDnsPolicy());
    }

    @Test
    void mountsTheKubeletServingCertificateAloneReadOnlyWhereTheAgentLooksForIt() {
        Rendered rendered = Chart.render(Chart.scenario("defaults"));
        PodSpec pod = podSpec(rendered.daemonSet());

        VolumeMount mount = mount(pod, "kubelet-serving-cert");
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals("kubelet-serving-cert")).findFirst()
                .orElseThrow();
        assertEquals("/host/var/lib/kubelet/pki/kubelet.crt", mount.getMountPath());
        assertEquals(true, mount.getReadOnly());
        assertEquals("/var/lib/kubelet/pki/kubelet.crt", volume.getHostPath().getPath());
        assertEquals("", volume.getHostPath().getType(), "no type check: the pod starts on nodes without the file");
        assertEquals(mount.getMountPath(), rendered.agentConfig().at("/metrics/kubelet/servingCertFile").textValue());
    }

    @Test
    void aServingCertificateElsewhereOnTheNodeIsMountedAndTrustedThere() {
        Rendered rendered = Chart.render(Map.of("hostPaths.kubeletServingCert", "/etc/kubernetes/certs/kubeletserver.crt"));

        assertEquals("/host/etc/kubernetes/certs/kubeletserver.crt",
                mount(podSpec(rendered.daemonSet()), "kubelet-serving-cert").getMountPath());
        assertEquals("/host/etc/kubernetes/certs/kubeletserver.crt",
                rendered.agentConfig().at("/metrics/kubelet/servingCertFile").textValue());
    }

    @Test
    void noServingCertificateIsMountedWhenTheCaAloneShouldDecideOrTheKubeletIsReachedThroughTheApiServer() {
        Rendered off = Chart.render(Map.of("hostPaths.kubeletServingCert", ""));
        Rendered proxied = Chart.render(Chart.scenario("kubelet-apiserver-proxy"));

        assertTrue(agent(podSpec(off.daemonSet())).getVolumeMounts().stream()
                .noneMatch(m -> m.getName().equals("kubelet-serving-cert")));
        assertEquals("", off.agentConfig().at("/metrics/kubelet/servingCertFile").textValue());
        assertTrue(podSpec(proxied.daemonSet()).getVolumes().stream().noneMatch(v -> v.getName().equals("kubelet-serving-cert")));
    }

    private static PodSpec podSpec(DaemonSet daemonSet) {
        return daemonSet.getSpec().getTemplate().getSpec();
    }

    private static VolumeMount mount(PodSpec pod, String volume) {
        return agent(pod).getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of volume " + volume));
    }

    private static Container agent(PodSpec pod) {
        assertEquals(1, pod.getContainers().size());
        return pod.getContainers().get(0);
    }

    /**
     * With logs off, the cluster collector's events still go through the log sink: its buffer gets a scratch
     * directory the non-root agent can write (the events' checkpoint is kept on the Lease), and the credentials.
     */
    @Test
    void withLogsOffTheEventsSinkGetsAScratchStateDirectoryAndTheCredentials() {
        PodSpec pod = podSpec(Chart.render(Map.of("config.logs.enabled", false,
                "elasticsearch.basicAuth.enabled", true, "elasticsearch.basicAuth.existingSecret", "es")).daemonSet());

        assertEquals("/var/lib/vedetta", mount(pod, "state").getMountPath());
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals("state") && v.getEmptyDir() != null));
        assertEquals("/var/run/secrets/vedetta/elasticsearch", mount(pod, "elasticsearch-credentials").getMountPath());

        PodSpec noEvents = podSpec(Chart.render(Map.of("config.logs.enabled", false,
                "config.cluster.events.enabled", false)).daemonSet());
        assertTrue(noEvents.getVolumes().stream().noneMatch(v -> v.getName().equals("state")));
    }
}

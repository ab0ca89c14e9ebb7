package io.vedetta.agent.metrics.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.metrics.DeclaredFamilies;
import io.vedetta.agent.metrics.ExpositionText;
import io.vedetta.agent.metrics.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CgroupSourceFixtureTest {

    private static final Path FIXTURES = Path.of("src/test/resources/cgroup");
    private static final String CHECKOUT = "3f1e9a7c2b4d6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private CgroupSource source(String tree) {
        return new CgroupSource(FileCgroupReader.open(FIXTURES.resolve(tree)), FixturePods.NODE, registry);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1-cgroupfs", "v2-systemd"})
    void servesOnlyTheFamiliesItDeclares(String tree) throws Exception {
        CgroupSource source = source(tree);

        DeclaredFamilies.assertDeclared(source, source.collect());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1-cgroupfs", "v2-systemd"})
    void kubepodsTreeGivesCadvisorSeries(String tree) throws Exception {
        Golden.assertMatches("cgroup/" + tree + ".prom", source(tree).collect());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1-cgroupfs", "v2-systemd"})
    void unknownPodsSandboxesAndUnreadableContainersAreDroppedAndCounted(String tree) throws Exception {
        source(tree).collect();

        // The unknown pod's own cgroup and its container; the checkout pod's sandbox; log-forwarder without memory.stat.
        assertEquals(2, dropped(CgroupSource.POD_NOT_FOUND));
        assertEquals(1, dropped(CgroupSource.CONTAINER_NOT_FOUND));
        assertEquals(1, dropped(CgroupSource.UNREADABLE));
    }

    @Test
    void v1AndV2OfTheSameContainersGiveTheSameSeriesAndValues() throws Exception {
        Map<String, Double> v1 = withoutIds(source("v1-cgroupfs").collect());
        Map<String, Double> v2 = withoutIds(source("v2-systemd").collect());

        assertEquals(v1.keySet(), v2.keySet());
        // v2 counts CPU time in microseconds where v1 counts nanoseconds, hence the tolerance.
        v1.forEach((series, value) -> assertEquals(value, v2.get(series), 1e-6, series));
    }

    @Test
    void checkoutContainerValuesFollowCadvisorUnits() throws Exception {
        Map<String, Double> series = ExpositionText.series(Golden.exposition(source("v1-cgroupfs").collect()));
        String labels = "{container=\"checkout\",id=\"/kubepods/burstable/pod8f2c1d3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f/"
                + CHECKOUT + "\",image=\"registry.example.com/shop/checkout:1.8.2\",name=\"" + CHECKOUT
                + "\",namespace=\"shop\",pod=\"checkout-7d9f8b6c5d-x2m4q\"}";

        // cpuacct.usage 398123456789 ns; usage 268 MiB minus total_inactive_file 38 MiB; throttled_time in ns.
        assertEquals(398.123456789, series.get("container_cpu_usage_seconds_total"
                + labels.replace(",id=", ",cpu=\"total\",id=")), 1e-9);
        assertEquals(230.0 * 1024 * 1024, series.get("container_memory_working_set_bytes" + labels));
        assertEquals(40.901234567, series.get("container_cpu_cfs_throttled_seconds_total" + labels), 1e-9);
        assertEquals(512.0 * 1024 * 1024, series.get("container_spec_memory_limit_bytes" + labels));
        assertEquals(100000.0, series.get("container_spec_cpu_quota" + labels));
    }

    @ParameterizedTest
    @CsvSource({
            "containerd, 0, " + CHECKOUT,
            "cri-o, 3, k8s_checkout_checkout-7d9f8b6c5d-x2m4q_shop_8f2c1d3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f_3",
            "docker, 1, k8s_checkout_checkout-7d9f8b6c5d-x2m4q_shop_8f2c1d3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f_1"})
    void namesEachContainerAsCadvisorDoesForItsRuntime(String runtime, int attempt, String name) throws Exception {
        String text = Golden.exposition(new CgroupSource(FileCgroupReader.open(FIXTURES.resolve("v2-systemd")),
                FixturePods.runBy(runtime, attempt), registry).collect());

        List<String> names = text.lines().filter(l -> l.startsWith("container_memory_rss{container=\"checkout\""))
                .map(l -> l.replaceAll(".*,name=\"([^\"]*)\".*", "$1")).toList();
        assertEquals(List.of(name), names);
        assertTrue(text.contains("container_memory_rss{container=\"\",id=\"/kubepods.slice/kubepods-burstable.slice/"
                + "kubepods-burstable-pod8f2c1d3e_4b5a_4c6d_9e7f_0a1b2c3d4e5f.slice\",image=\"\",name=\"\""), "a pod has no name");
    }

    @Test
    void unlimitedContainerHasZeroMemoryLimitAndNoQuotaOrCfsSeries() throws Exception {
        for (String tree : new String[] {"v1-cgroupfs", "v2-systemd"}) {
            Map<String, Double> series = ExpositionText.series(Golden.exposition(source(tree).collect()));
            Map<String, Double> kubeProxy = new TreeMap<>();
            series.forEach((k, v) -> {
                if (k.contains("container=\"kube-proxy\"")) {
                    kubeProxy.put(ExpositionText.name(k), v);
                }
            });
            assertEquals(0.0, kubeProxy.get("container_spec_memory_limit_bytes"), tree);
            assertEquals(100000.0, kubeProxy.get("container_spec_cpu_period"), tree);
            assertEquals(null, kubeProxy.get("container_spec_cpu_quota"), tree);
            assertEquals(null, kubeProxy.get("container_cpu_cfs_periods_total"), tree);
        }
    }

    @Test
    void containerThatHasNotRunYetHasNoCpuUsageSeries(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("v2");
        try (Stream<Path> all = Files.walk(FIXTURES.resolve("v2-systemd"))) {
            for (Path p : all.toList()) {
                Path target = root.resolve(FIXTURES.resolve("v2-systemd").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path kubeProxy = root.resolve("kubepods.slice/kubepods-besteffort.slice/"
                + "kubepods-besteffort-pod1a2b3c4d_5e6f_4a7b_8c9d_0e1f2a3b4c5d.slice/"
                + "cri-containerd-b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1.scope/cpu.stat");
        Files.writeString(kubeProxy, "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");

        String text = Golden.exposition(
                new CgroupSource(FileCgroupReader.open(root), FixturePods.NODE, registry).collect());

        assertFalse(text.contains("container_cpu_usage_seconds_total{container=\"kube-proxy\""), text);
        assertTrue(text.contains("container_memory_working_set_bytes{container=\"kube-proxy\""), text);
    }

    private double dropped(String reason) {
        return registry.get("vedetta.cgroup.dropped").tag("reason", reason).counter().count();
    }

    private static Map<String, Double> withoutIds(MetricSnapshots snapshots) {
        Map<String, Double> out = new TreeMap<>();
        ExpositionText.series(Golden.exposition(snapshots))
                .forEach((k, v) -> out.put(k.replaceAll(",id=\"[^\"]*\"", ""), v));
        return out;
    }
}

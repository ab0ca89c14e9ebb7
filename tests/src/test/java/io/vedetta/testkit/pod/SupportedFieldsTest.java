package io.vedetta.testkit.pod;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the runner cannot run as the kubelet would, it refuses by name, so the chart cannot drift past it. */
class SupportedFieldsTest {

    @Test
    void refusesAVolumeTypeASecurityContextFieldAndAContainerFieldItDoesNotKnow() {
        UnsupportedPodSpecException e = assertThrows(UnsupportedPodSpecException.class, () -> SupportedFields.check(
                RunnerNode.pod("unsupported", RunnerNode.SLEEP, """
                        lifecycle: {preStop: {exec: {command: [sleep, "1"]}}}
                        securityContext: {procMount: Unmasked}
                        """, """
                        volumes: [{name: token, projected: {sources: []}}]
                        initContainers: [{name: init, image: test/host}]
                        """).template()));

        for (String field : List.of("containers[0].lifecycle", "containers[0].securityContext.procMount",
                "volumes[0].projected", "spec.initContainers")) {
            assertTrue(e.getMessage().contains(field), () -> field + " not named in: " + e.getMessage());
        }
    }

    @Test
    void refusesAStartupProbeAndAProbeOtherThanHttpGet(@org.junit.jupiter.api.io.TempDir Path dir) {
        try (PodNode node = RunnerNode.create(dir)) {
            assertThrows(UnsupportedPodSpecException.class, () -> node.run(RunnerNode.pod("startup", RunnerNode.SLEEP,
                    "startupProbe: {httpGet: {path: /, port: 80}}", "")));
            assertThrows(UnsupportedPodSpecException.class, () -> node.run(RunnerNode.pod("exec-probe", RunnerNode.SLEEP,
                    "livenessProbe: {exec: {command: [true]}}", "")));
            assertThrows(UnsupportedPodSpecException.class, () -> node.run(RunnerNode.pod("localhost-seccomp",
                    RunnerNode.SLEEP, "securityContext: {seccompProfile: {type: Localhost, localhostProfile: p.json}}", "")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "elasticsearch-basic-auth", "kubelet-apiserver-proxy", "logs-off",
            "prometheus-operator"})
    void everyChartScenarioUsesOnlyWhatTheRunnerSupports(String scenario) {
        SupportedFields.check(RenderedChart.render(RenderedChart.scenario(scenario), Map.of())
                .daemonSet().path("spec").path("template"));
    }
}

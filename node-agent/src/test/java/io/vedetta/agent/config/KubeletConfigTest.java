package io.vedetta.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubeletConfigTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static ConfigNode node(String yaml) throws Exception {
        return ConfigNode.root(YAML.readTree(yaml.isEmpty() ? "{}" : yaml));
    }

    private static KubeletConfig kubelet(String yaml, Map<String, String> env) throws Exception {
        ConfigNode root = node(yaml);
        KubeletConfig config = KubeletConfig.from(root.section("kubelet"), env, true, Path.of("/host"));
        root.rejectUnknown();
        return config;
    }

    @Test
    void defaultsToTheHostIpOnPort10250WithTheServiceAccountCredentials() throws Exception {
        KubeletConfig config = kubelet("", Map.of("HOST_IP", "10.0.0.7", "NODE_NAME", "node-a"));

        assertEquals(URI.create("https://10.0.0.7:10250"), config.baseUrl());
        assertEquals(Optional.of(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt")), config.caFile());
        assertEquals(Optional.of(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token")), config.tokenFile());
        assertEquals(Optional.of(Path.of("/host/var/lib/kubelet/pki/kubelet.crt")), config.servingCertFile(),
                "the node's own serving certificate, under the host root");
        assertFalse(config.insecureSkipVerify());
        assertTrue(config.cadvisor() && config.kubelet() && !config.resource() && !config.summary());
        assertEquals(Duration.ofMinutes(1), config.tokenRefresh());
    }

    @Test
    void fallsBackToTheNodeNameAndBracketsIpv6() throws Exception {
        assertEquals(URI.create("https://node-a:10255"),
                kubelet("kubelet: {port: 10255}", Map.of("NODE_NAME", "node-a")).baseUrl());
        assertEquals(URI.create("https://[fd00::7]:10250"), kubelet("", Map.of("HOST_IP", "fd00::7")).baseUrl());
    }

    @Test
    void goesThroughTheApiServerNodeProxyWhenAsked() throws Exception {
        KubeletConfig config = kubelet("kubelet: {via: apiserver}", Map.of("NODE_NAME", "node-a",
                "KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"));

        assertEquals(URI.create("https://10.96.0.1:443/api/v1/nodes/node-a/proxy"), config.baseUrl());
    }

    @Test
    void anExplicitUrlOverridesTheAddress() throws Exception {
        KubeletConfig config = kubelet("""
                kubelet:
                  url: https://kubelet.example:10250
                  caFile: ""
                  tokenFile: /etc/token
                  insecureSkipVerify: true
                  sources: {summary: true, cadvisor: false}
                """, Map.of());

        assertEquals(URI.create("https://kubelet.example:10250"), config.baseUrl());
        assertEquals(Optional.empty(), config.caFile());
        assertEquals(Optional.of(Path.of("/etc/token")), config.tokenFile());
        assertTrue(config.insecureSkipVerify() && config.summary() && !config.cadvisor());
    }

    @Test
    void namesTheSettingWhenNoAddressCanBeFound() {
        ConfigException e = assertThrows(ConfigException.class, () -> kubelet("", Map.of()));

        assertEquals("kubelet.url", e.setting());
        assertTrue(e.getMessage().contains("HOST_IP"), e.getMessage());
    }

    @Test
    void rejectsAMisspelledSourceName() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> kubelet("kubelet: {sources: {cadvsor: true}}", Map.of("HOST_IP", "10.0.0.7")));

        assertEquals("kubelet.sources.cadvsor", e.setting());
    }

    @Test
    void filterPatternsMustBeValidRegularExpressions() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> MetricFilterConfig.from(node("filter: {deny: [\"container_(\"]}").section("filter")));

        assertEquals("filter.deny[0]", e.setting());
    }

    @Test
    void sourceTimeoutsDefaultToTenSecondsAndCanBeSetPerSource() throws Exception {
        MetricSourcesConfig config = MetricSourcesConfig.from(
                node("sources: {timeouts: {cadvisor: 3s}, maxStaleness: 1m}").section("sources"));

        assertEquals(Duration.ofSeconds(3), config.timeoutFor("cadvisor"));
        assertEquals(Duration.ofSeconds(10), config.timeoutFor("node"));
        assertEquals(Duration.ofMinutes(1), config.maxStaleness());
    }

    @Test
    void anEmptyServingCertFileTrustsTheCaAlone() throws Exception {
        KubeletConfig config = kubelet("kubelet: {servingCertFile: \"\"}", Map.of("HOST_IP", "10.0.0.7"));

        assertEquals(Optional.empty(), config.servingCertFile());
    }
}

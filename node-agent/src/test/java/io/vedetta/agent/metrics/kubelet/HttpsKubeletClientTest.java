package io.vedetta.agent.metrics.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.agent.config.ConfigException;
import io.vedetta.agent.metrics.ErrorReason;
import io.vedetta.agent.metrics.SourceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsKubeletClientTest {

    @TempDir
    Path dir;
    private FixtureKubelet kubelet;
    private Path token;

    @BeforeEach
    void startKubelet() throws Exception {
        kubelet = FixtureKubelet.start().serve("/metrics", "kubelet/datadog-integrations-core/kubelet_metrics_1_21.txt");
        token = Files.writeString(dir.resolve("token"), "first-token\n");
    }

    @AfterEach
    void stopKubelet() {
        kubelet.close();
    }

    @Test
    void fetchesOverTlsVerifiedAgainstTheConfiguredCa() throws Exception {
        HttpsKubeletClient client = Kubelets.client(kubelet.url(), TestCa.get().caPem, token);

        String body = client.get("/metrics", in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));

        assertTrue(body.contains("kubernetes_build_info"), "the recorded /metrics body arrives intact");
    }

    @Test
    void refusesAKubeletWhoseCertificateAnotherCaSigned() throws Exception {
        HttpsKubeletClient client = Kubelets.client(kubelet.url(), TestCa.get().otherCaPem, token);

        SourceException e = assertThrows(SourceException.class, () -> client.get("/metrics", in -> in.readAllBytes()));

        assertEquals(ErrorReason.TLS, e.reason());
        assertTrue(e.getMessage().contains("metrics.kubelet.caFile"), e.getMessage());
        assertTrue(kubelet.authorizations().isEmpty(), "no request, hence no token, reached the server");
    }

    @Test
    void acceptsAnyCertificateOnlyWhenVerificationIsSwitchedOff() throws Exception {
        HttpsKubeletClient client = HttpsKubeletClient.create(
                Kubelets.config(kubelet.url(), TestCa.get().otherCaPem, token, true), Duration.ofSeconds(5),
                Kubelets.errors());

        byte[] body = client.get("/metrics", in -> in.readAllBytes());

        assertEquals(237885, body.length);
    }

    @Test
    void sendsTheTokenAndRereadsItWhenTheFileIsRotated() throws Exception {
        HttpsKubeletClient client = Kubelets.client(kubelet.url(), TestCa.get().caPem, token);
        client.get("/metrics", in -> in.readAllBytes());
        client.get("/metrics", in -> in.readAllBytes());

        Files.writeString(token, "second-token\n");
        Files.setLastModifiedTime(token, FileTime.from(Instant.now().plusSeconds(5)));
        client.get("/metrics", in -> in.readAllBytes());

        assertEquals(List.of("Bearer first-token", "Bearer first-token", "Bearer second-token"),
                kubelet.authorizations());
    }

    @Test
    void reportsAnUnreadableTokenWithoutSendingTheRequest() throws Exception {
        HttpsKubeletClient client = Kubelets.client(kubelet.url(), TestCa.get().caPem, dir.resolve("missing"));

        SourceException e = assertThrows(SourceException.class, () -> client.get("/metrics", in -> in.readAllBytes()));

        assertEquals(ErrorReason.TOKEN, e.reason());
        assertTrue(kubelet.authorizations().isEmpty());
    }

    @Test
    void explainsAForbiddenAnswerWithTheRbacItNeeds() throws Exception {
        kubelet.answer("/metrics/cadvisor", 403, "Forbidden (user=system:serviceaccount:x:y, verb=get, "
                + "resource=nodes, subresource=metrics)");
        HttpsKubeletClient client = Kubelets.client(kubelet.url(), TestCa.get().caPem, token);

        SourceException e = assertThrows(SourceException.class,
                () -> client.get("/metrics/cadvisor", in -> in.readAllBytes()));

        assertEquals(ErrorReason.UNAUTHORIZED, e.reason());
        assertTrue(e.getMessage().contains("nodes/metrics"), e.getMessage());
        assertTrue(e.getMessage().contains("subresource=metrics"), "the kubelet's own words are kept");
    }

    @Test
    void asksTheNodesOwnKubeletForAnUncompressedBodyAndTheApiServerProxyForGzip() throws Exception {
        String proxy = "/api/v1/nodes/node-1/proxy";
        kubelet.serve(proxy + "/metrics", "kubelet/datadog-integrations-core/kubelet_metrics_1_21.txt");

        Kubelets.client(kubelet.url(), TestCa.get().caPem, token).get("/metrics", in -> in.readAllBytes());
        byte[] proxied = Kubelets.client(kubelet.url().resolve(proxy), TestCa.get().caPem, token)
                .get("/metrics", in -> in.readAllBytes());

        assertEquals(List.of("identity", "gzip"), kubelet.acceptEncodings());
        assertEquals(237885, proxied.length, "the proxied body arrives whole");
    }

    @Test
    void namesTheCaSettingWhenTheBundleCannotBeRead() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Kubelets.client(kubelet.url(), dir.resolve("no-ca.crt"), token));

        assertEquals("metrics.kubelet.caFile", e.setting());
    }
}

package io.vedetta.agent.metrics.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.config.MetricFilterConfig;
import io.vedetta.agent.config.MetricSourcesConfig;
import io.vedetta.agent.metrics.ErrorReason;
import io.vedetta.agent.metrics.Golden;
import io.vedetta.agent.metrics.MetricsErrors;
import io.vedetta.agent.metrics.Registries;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.agent.metrics.SourceCollector;
import io.vedetta.agent.metrics.SourceException;
import io.vedetta.pods.PodMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubeadm's kubelet serves a certificate it signed itself, which no CA of the cluster vouches for: the agent trusts
 * exactly that certificate, read from the node's disk ({@code metrics.kubelet.servingCertFile}), and no other.
 */
class KubeletServingCertificateTest {

    /** Made once for the class: keytool runs cost about a second each. */
    private static TestCa.SelfSigned node;
    private static TestCa.SelfSigned impostor;
    private static TestCa.SelfSigned regenerated;

    @TempDir
    Path dir;
    private Path token;
    private Path servingCert;
    private FixtureKubelet kubelet;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void makeTheCertificates(@TempDir Path certificates) throws Exception {
        node = TestCa.selfSignedKubelet(certificates, "node-a", "node-a.example");
        impostor = TestCa.selfSigned(certificates, "impostor", "node-a.example");
        regenerated = TestCa.selfSigned(certificates, "regenerated", "node-a.example");
    }

    @BeforeEach
    void startTheNodesKubelet() throws Exception {
        token = Files.writeString(dir.resolve("token"), "token\n");
        servingCert = dir.resolve("kubelet.crt");
        Files.copy(node.crt(), servingCert);
        kubelet = serving(node, 0);
    }

    @AfterEach
    void stopKubelet() {
        kubelet.close();
    }

    private static FixtureKubelet serving(TestCa.SelfSigned certificate, int port) throws Exception {
        return new FixtureKubelet(certificate.serverContext(), port)
                .serve("/metrics", "kubelet/datadog-integrations-core/kubelet_metrics_1_21.txt");
    }

    private HttpsKubeletClient client() throws Exception {
        return HttpsKubeletClient.create(Kubelets.config(kubelet.url(), TestCa.get().otherCaPem, servingCert, token, false),
                Duration.ofSeconds(5), new MetricsErrors(registry));
    }

    @Test
    void trustsTheNodesSelfSignedServingCertificateBesidesAnUnrelatedCa() throws Exception {
        byte[] body = client().get("/metrics", in -> in.readAllBytes());

        assertEquals(237885, body.length, "served although the certificate names node-a.example and 127.0.0.1 was dialled");
    }

    @Test
    void refusesAnotherSelfSignedCertificate() throws Exception {
        int port = kubelet.url().getPort();
        kubelet.close();
        kubelet = serving(impostor, port);

        SourceException e = assertThrows(SourceException.class, () -> client().get("/metrics", in -> in.readAllBytes()));

        assertEquals(ErrorReason.TLS, e.reason());
        assertTrue(e.getMessage().contains(servingCert.toString()), e.getMessage());
        assertTrue(kubelet.authorizations().isEmpty(), "the token never reached the impostor");
    }

    @Test
    void aRegeneratedServingCertificateIsTrustedWithoutARestartAndTheOldOneNoLonger() throws Exception {
        HttpsKubeletClient client = client();
        client.get("/metrics", in -> in.readAllBytes());
        int port = kubelet.url().getPort();

        Files.write(servingCert, Files.readAllBytes(regenerated.crt()));
        kubelet.close();
        kubelet = serving(regenerated, port);
        byte[] body = client.get("/metrics", in -> in.readAllBytes());

        assertEquals(237885, body.length, "the rewritten kubelet.crt is read again at the next handshake");
        kubelet.close();
        kubelet = serving(node, port);
        SourceException e = assertThrows(SourceException.class, () -> client.get("/metrics", in -> in.readAllBytes()));
        assertEquals(ErrorReason.TLS, e.reason(), "the certificate it replaced is refused");
    }

    @Test
    void aServingCertificateReplacedByRenameIsPickedUpToo() throws Exception {
        HttpsKubeletClient client = client();
        int port = kubelet.url().getPort();

        Path written = Files.copy(regenerated.crt(), dir.resolve("kubelet.crt.tmp"));
        Files.move(written, servingCert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        kubelet.close();
        kubelet = serving(regenerated, port);

        assertEquals(237885, client.get("/metrics", in -> in.readAllBytes()).length);
    }

    @Test
    void aServingCertificateThatCannotBeReadAgainIsCountedAndTheOneReadBeforeStaysTrusted() throws Exception {
        HttpsKubeletClient client = client();
        client.get("/metrics", in -> in.readAllBytes());
        int port = kubelet.url().getPort();

        Files.writeString(servingCert, "-----BEGIN CERTIFICATE-----\nhalf written\n-----END CERTIFICATE-----\n");
        kubelet.close();
        kubelet = serving(node, port);

        assertEquals(237885, client.get("/metrics", in -> in.readAllBytes()).length);
        assertEquals(1.0, registry.get("vedetta.errors").tag("stage", "metrics").tag("reason", "secret").counter()
                .count());
    }

    @Test
    void withoutAServingCertificateFileTheCaAloneDecides() throws Exception {
        Files.delete(servingCert);

        SourceException e = assertThrows(SourceException.class, () -> client().get("/metrics", in -> in.readAllBytes()));

        assertEquals(ErrorReason.TLS, e.reason());
        assertTrue(e.getMessage().contains("is missing, empty or not a file"), e.getMessage());
    }

    @Test
    void aRotatedCaBundleIsReadAgainWithoutARestart() throws Exception {
        try (FixtureKubelet signed = FixtureKubelet.start()
                .serve("/metrics", "kubelet/datadog-integrations-core/kubelet_metrics_1_21.txt")) {
            Path ca = Files.write(dir.resolve("ca.crt"), Files.readAllBytes(TestCa.get().otherCaPem));
            HttpsKubeletClient client = HttpsKubeletClient.create(
                    Kubelets.config(signed.url(), ca, null, token, false), Duration.ofSeconds(5), Kubelets.errors());
            assertEquals(ErrorReason.TLS, assertThrows(SourceException.class,
                    () -> client.get("/metrics", in -> in.readAllBytes())).reason());

            Files.write(ca, Files.readAllBytes(TestCa.get().caPem));

            assertEquals(237885, client.get("/metrics", in -> in.readAllBytes()).length);
        }
    }

    @Test
    void anUntrustedKubeletCountsAsATlsErrorOfTheMetricsStage() throws Exception {
        int port = kubelet.url().getPort();
        kubelet.close();
        kubelet = serving(impostor, port);
        Registries registries = new Registries();
        MetricsErrors errors = new MetricsErrors(registries.micrometer());
        SourceCollector collector = new SourceCollector(
                KubeletSources.create(Kubelets.config(kubelet.url(), null, null, false), client(), errors),
                new MetricSourcesConfig(Duration.ofSeconds(10), Map.of(), Duration.ofMinutes(5), 2, Duration.ZERO),
                new SeriesFilter(MetricFilterConfig.defaults(), PodMetadata.NONE), registries, errors);
        collector.start();
        try {
            Pattern counted = Pattern.compile("(?m)^vedetta_errors_total\\{reason=\"tls\",stage=\"metrics\"} ([1-9][0-9.]*)$");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String text = Golden.exposition(registries.prometheus().scrape());
            while (!counted.matcher(text).find() && System.nanoTime() < deadline) {
                text = Golden.exposition(registries.prometheus().scrape());
            }

            assertTrue(counted.matcher(text).find(), text);
            assertTrue(text.contains("vedetta_source_up{source=\"kubelet\"} 0.0"), text);
        } finally {
            collector.stop(Duration.ZERO);
        }
    }
}

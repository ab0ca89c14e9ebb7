package io.vedetta.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vedetta.agent.config.KubernetesConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubernetesClientFactoryTest {

    @Test
    void usesTheConfiguredApiServerAndVerifiesTls() {
        KubernetesConfig config = new KubernetesConfig(true, "node-a", Optional.of(URI.create("https://10.96.0.1:6443")),
                false, Duration.ofSeconds(120), Duration.ofMillis(1500), Duration.ofSeconds(30));

        try (KubernetesClient client = PodDiscovery.createClient(config)) {
            assertEquals("https://10.96.0.1:6443/", client.getMasterUrl().toString());
            assertFalse(client.getConfiguration().isTrustCerts());
            assertFalse(client.getConfiguration().isDisableHostnameVerification());
            assertEquals(0, client.getConfiguration().getRequestRetryBackoffLimit());
            assertEquals(1500, client.getConfiguration().getWatchReconnectInterval());
        }
    }
}

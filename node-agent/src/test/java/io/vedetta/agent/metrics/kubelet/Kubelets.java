package io.vedetta.agent.metrics.kubelet;

import io.vedetta.agent.config.KubeletConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.metrics.MetricsErrors;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Kubelet configurations for tests: every source on, a CA and a token file given explicitly. */
final class Kubelets {

    private Kubelets() {
    }

    static KubeletConfig config(URI url, Path caFile, Path tokenFile, boolean insecure) {
        return config(url, caFile, null, tokenFile, insecure);
    }

    static KubeletConfig config(URI url, Path caFile, Path servingCertFile, Path tokenFile, boolean insecure) {
        return new KubeletConfig(true, url, KubeletConfig.Via.DIRECT, Optional.ofNullable(caFile),
                Optional.ofNullable(servingCertFile),
                Optional.ofNullable(tokenFile), Duration.ofMinutes(1), insecure, true, true, true, true, true);
    }

    static HttpsKubeletClient client(URI url, Path caFile, Path tokenFile) {
        return HttpsKubeletClient.create(config(url, caFile, tokenFile, false), Duration.ofSeconds(5), errors());
    }

    /** Errors of a client whose counts the test does not read. */
    static MetricsErrors errors() {
        return new MetricsErrors(new SimpleMeterRegistry());
    }
}

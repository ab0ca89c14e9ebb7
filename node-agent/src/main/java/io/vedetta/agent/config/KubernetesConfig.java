package io.vedetta.agent.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Pod discovery through the Kubernetes API. {@code nodeName} comes from the {@code NODE_NAME} env
 * (the downward API in the DaemonSet) unless set in the file.
 */
public record KubernetesConfig(
        boolean enabled,
        String nodeName,
        Optional<URI> apiServer,
        boolean namespaceLabels,
        Duration deletionGrace,
        Duration retryInitial,
        Duration retryMax) {

    static KubernetesConfig from(ConfigNode n, Map<String, String> env) {
        boolean enabled = n.bool("enabled", true);
        String nodeName = n.optionalString("nodeName").orElse(env.getOrDefault("NODE_NAME", "")).trim();
        KubernetesConfig config = new KubernetesConfig(
                enabled,
                nodeName,
                n.optionalUrl("apiServer", "the API server credentials come from the service account or the kubeconfig"),
                n.bool("namespaceLabels", false),
                n.duration("deletionGrace", Duration.ofSeconds(120)),
                n.duration("retryInitial", Duration.ofSeconds(1), Duration.ofHours(1)),
                n.duration("retryMax", Duration.ofSeconds(30), Duration.ofHours(1)));
        if (enabled && nodeName.isEmpty()) {
            throw new ConfigException(n.path("nodeName"),
                    "no node name: the NODE_NAME environment variable is unset and kubernetes.nodeName is empty",
                    "set NODE_NAME from the downward API (fieldRef spec.nodeName), set kubernetes.nodeName,"
                            + " or set kubernetes.enabled: false to run without the Kubernetes API");
        }
        if (config.retryMax.compareTo(config.retryInitial) < 0) {
            throw new ConfigException(n.path("retryMax"), "shorter than kubernetes.retryInitial",
                    "make kubernetes.retryMax at least kubernetes.retryInitial");
        }
        return config;
    }
}

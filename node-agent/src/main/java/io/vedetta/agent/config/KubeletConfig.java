package io.vedetta.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Scraping the kubelet of this node ({@code metrics.kubelet}). The base URL is {@code url} when set;
 * otherwise the kubelet itself at {@code HOST_IP} (else {@code NODE_NAME}) on {@code port}, or, with
 * {@code via: apiserver}, the API server's node proxy for {@code NODE_NAME}.
 *
 * @param tokenFile bearer token sent with every request; empty sends none
 * @param tokenRefresh the token is re-read when its file changes, and at least this often (projected
 *     service-account tokens rotate)
 * @param caFile PEM bundle the kubelet's (or API server's) certificate must chain to; empty uses the JDK's
 * @param servingCertFile the node's own kubelet serving certificate (kubeadm's self-signed {@code kubelet.crt}),
 *     trusted as exactly that certificate besides the CA; empty trusts the CA alone
 * @param pathLabel add {@code metrics_path="/metrics/cadvisor"} (etc.) to every series, as kube-prometheus
 *     does, so kubernetes-mixin selectors match and series of different endpoints never collide
 */
public record KubeletConfig(
        boolean enabled,
        URI baseUrl,
        Via via,
        Optional<Path> caFile,
        Optional<Path> servingCertFile,
        Optional<Path> tokenFile,
        Duration tokenRefresh,
        boolean insecureSkipVerify,
        boolean cadvisor,
        boolean resource,
        boolean summary,
        boolean kubelet,
        boolean pathLabel) {

    public enum Via { DIRECT, APISERVER }

    static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount/";
    /** Where the kubelet keeps the certificate it signed itself when no other is configured, under the host root. */
    static final String SERVING_CERT = "var/lib/kubelet/pki/kubelet.crt";

    /** {@code enabledByDefault}: the kubelet is scraped by default only when the agent runs in a cluster. */
    static KubeletConfig from(ConfigNode n, Map<String, String> env, boolean enabledByDefault, Path hostRoot) {
        boolean enabled = n.bool("enabled", enabledByDefault);
        Via via = n.choice("via", Via.DIRECT, Via.class);
        int port = n.integer("port", 10250, 1, 65535);
        Optional<URI> url = n.optionalUrl("url",
                "the kubelet is called with the bearer token of metrics.kubelet.tokenFile");
        ConfigNode sources = n.section("sources");
        KubeletConfig config = new KubeletConfig(
                enabled,
                url.orElse(null),
                via,
                optionalPath(n.string("caFile", SERVICE_ACCOUNT + "ca.crt")),
                optionalPath(n.string("servingCertFile", hostRoot.resolve(SERVING_CERT).toString())),
                optionalPath(n.string("tokenFile", SERVICE_ACCOUNT + "token")),
                n.duration("tokenRefresh", Duration.ofMinutes(1)),
                n.bool("insecureSkipVerify", false),
                sources.bool("cadvisor", true),
                sources.bool("resource", false),
                sources.bool("summary", false),
                sources.bool("kubelet", true),
                n.bool("pathLabel", true));
        if (!enabled || url.isPresent()) {
            return config;
        }
        return config.withBaseUrl(via == Via.DIRECT ? direct(n, env, port) : throughApiServer(n, env));
    }

    /** Whether the kubelet is reached through the API server's node proxy, which takes {@code nodes/proxy}. */
    public boolean throughApiServerProxy() {
        return baseUrl != null && baseUrl.getPath() != null
                && baseUrl.getPath().matches(".*/api/v1/nodes/[^/]+/proxy/?");
    }

    private KubeletConfig withBaseUrl(URI url) {
        return new KubeletConfig(enabled, url, via, caFile, servingCertFile, tokenFile, tokenRefresh, insecureSkipVerify,
                cadvisor, resource, summary, kubelet, pathLabel);
    }

    private static URI direct(ConfigNode n, Map<String, String> env, int port) {
        String host = env.getOrDefault("HOST_IP", "").trim();
        if (host.isEmpty()) {
            host = env.getOrDefault("NODE_NAME", "").trim();
        }
        if (host.isEmpty()) {
            throw new ConfigException(n.path("url"),
                    "no kubelet address: neither HOST_IP nor NODE_NAME is set and no url is configured",
                    "set HOST_IP from the downward API (fieldRef status.hostIP), set metrics.kubelet.url,"
                            + " or set metrics.kubelet.enabled: false");
        }
        return URI.create("https://" + bracketed(host) + ":" + port);
    }

    private static URI throughApiServer(ConfigNode n, Map<String, String> env) {
        String node = env.getOrDefault("NODE_NAME", "").trim();
        String host = env.getOrDefault("KUBERNETES_SERVICE_HOST", "").trim();
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443").trim();
        if (node.isEmpty() || host.isEmpty()) {
            throw new ConfigException(n.path("via"),
                    "the API server proxy needs NODE_NAME and KUBERNETES_SERVICE_HOST, and "
                            + (node.isEmpty() ? "NODE_NAME" : "KUBERNETES_SERVICE_HOST") + " is unset",
                    "run in the cluster with NODE_NAME from the downward API, or set metrics.kubelet.url to"
                            + " https://<apiserver>/api/v1/nodes/<node>/proxy");
        }
        return URI.create("https://" + bracketed(host) + ":" + port + "/api/v1/nodes/" + node + "/proxy");
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static Optional<Path> optionalPath(String raw) {
        return raw.isBlank() ? Optional.empty() : Optional.of(Path.of(raw.trim()));
    }
}

package io.vedetta.agent.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.util.function.UnaryOperator;

/** Clients derived from the one {@link PodDiscovery#createClient} configures, for parts that need other settings. */
public final class KubeClients {

    private KubeClients() {
    }

    /**
     * A client like {@code client} with {@code change} applied to its configuration (credentials, TLS and API server
     * stay the same); {@code client} is closed.
     */
    public static KubernetesClient reconfigured(KubernetesClient client, UnaryOperator<ConfigBuilder> change) {
        Config config = change.apply(new ConfigBuilder(client.getConfiguration())).build();
        client.close();
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory())
                .build();
    }

    /**
     * The User-Agent an agent sends: its version and its node, so the API server's audit log and request metrics
     * tell the agents apart (and a leader's cluster-wide requests from a follower's node-scoped ones).
     */
    public static String userAgent(String version, String nodeName) {
        return "vedetta-agent/" + version + " (" + nodeName + ")";
    }
}

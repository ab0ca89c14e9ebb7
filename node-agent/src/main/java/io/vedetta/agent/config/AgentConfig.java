package io.vedetta.agent.config;

import io.vedetta.logs.sink.elasticsearch.ElasticsearchSinkConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The whole validated configuration; built once at startup by {@link ConfigLoader}, never changed. */
public record AgentConfig(
        HttpConfig http,
        KubernetesConfig kubernetes,
        LogsConfig logs,
        ElasticsearchSinkConfig elasticsearch,
        MetricsConfig metrics,
        ClusterConfig cluster,
        LoggingConfig logging,
        Duration shutdownGrace,
        ScrapeConfig scrape,
        RemoteWriteConfig remoteWrite) {

    static AgentConfig from(ConfigNode root, Map<String, String> env) {
        HttpConfig http = HttpConfig.from(root.section("http"), env);
        KubernetesConfig kubernetes = KubernetesConfig.from(root.section("kubernetes"), env);
        LogsConfig logs = LogsConfig.from(root.section("logs"));
        ElasticsearchSinkConfig elasticsearch = ElasticsearchConfig.from(root.section("elasticsearch"), logs);
        ConfigNode clusterNode = root.section("cluster");
        ClusterConfig cluster = ClusterConfig.from(clusterNode, env, kubernetes,
                logs.pipeline().tail().stateDir());
        if (cluster.enabled() && cluster.events().enabled()) {
            ElasticsearchConfig.checkEventsTargets(clusterNode.path("events"), cluster.events(), elasticsearch);
        }
        AgentConfig config = new AgentConfig(
                http,
                kubernetes,
                logs,
                elasticsearch,
                MetricsConfig.from(root.section("metrics"), env, kubernetes.enabled()),
                cluster,
                LoggingConfig.from(root.section("logging")),
                root.duration("shutdownGrace", Duration.ofSeconds(20)),
                ScrapeConfig.from(root.section("scrape")),
                RemoteWriteConfig.from(root.section("remoteWrite"), logs.pipeline().tail().stateDir(),
                        Optional.of(kubernetes.nodeName())));
        root.rejectUnknown();
        return config;
    }
}

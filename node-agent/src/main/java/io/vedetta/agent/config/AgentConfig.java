package io.vedetta.agent.config;

import java.time.Duration;
import java.util.Map;

/** The whole validated configuration; built once at startup by {@link ConfigLoader}, never changed. */
public record AgentConfig(
        HttpConfig http,
        KubernetesConfig kubernetes,
        LogsConfig logs,
        ElasticsearchConfig elasticsearch,
        MetricsConfig metrics,
        LoggingConfig logging,
        Duration shutdownGrace) {

    static AgentConfig from(ConfigNode root, Map<String, String> env) {
        KubernetesConfig kubernetes = KubernetesConfig.from(root.section("kubernetes"), env);
        AgentConfig config = new AgentConfig(
                HttpConfig.from(root.section("http")),
                kubernetes,
                LogsConfig.from(root.section("logs")),
                ElasticsearchConfig.from(root.section("elasticsearch")),
                MetricsConfig.from(root.section("metrics"), env, kubernetes.enabled()),
                LoggingConfig.from(root.section("logging")),
                root.duration("shutdownGrace", Duration.ofSeconds(20)));
        root.rejectUnknown();
        return config;
    }
}

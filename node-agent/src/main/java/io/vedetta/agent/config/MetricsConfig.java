package io.vedetta.agent.config;

/** Metrics collection beyond the agent's own: pod state series now, kubelet/cgroup/node sources later. */
public record MetricsConfig(boolean podState, boolean jvm) {

    static MetricsConfig from(ConfigNode n) {
        return new MetricsConfig(n.bool("podState", true), n.bool("jvm", true));
    }
}

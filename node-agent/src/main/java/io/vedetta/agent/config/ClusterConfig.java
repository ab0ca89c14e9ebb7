package io.vedetta.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cluster collector (section {@code cluster}): one agent of the DaemonSet at a time, elected on a Lease in its
 * own namespace, exposes the cluster's {@code kube_*} state and ships the cluster's Kubernetes events. Off unless
 * set: it needs a namespaced Role for the Lease and cluster-wide read rights, which the chart grants when it turns
 * it on.
 *
 * @param namespace     where the Lease lives: {@code POD_NAMESPACE} (the downward API) unless set
 * @param identity      this agent's name on the Lease: {@code POD_NAME} unless set, else the node name
 * @param leaseDuration how long followers wait after the leader's last renewal before taking over
 * @param renewDeadline how long a leader keeps leading without a successful renewal; then it stops at once
 * @param retryPeriod   how often followers try to acquire and the leader renews
 * @param metrics       expose the cluster's {@code kube_*} series while leading
 * @param stateDir      where the events' checkpoint is kept ({@code logs.stateDir})
 */
public record ClusterConfig(
        boolean enabled,
        String namespace,
        String identity,
        String leaseName,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod,
        boolean metrics,
        Events events,
        Path stateDir) {

    /**
     * Kubernetes events to the log sink, into their own targets.
     *
     * @param dataStreamPrefix data stream name before the event's namespace (data stream mode)
     * @param dailyPrefix      daily index name before the date (daily mode)
     */
    public record Events(boolean enabled, String dataStreamPrefix, String dailyPrefix) {
    }

    public static final String DEFAULT_EVENTS_DATA_STREAM_PREFIX = "logs-kubernetes.events-";
    public static final String DEFAULT_EVENTS_DAILY_PREFIX = "kubernetes-events";
    /** A DNS subdomain, as Kubernetes requires of object names. */
    private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    static ClusterConfig from(ConfigNode n, Map<String, String> env, KubernetesConfig kubernetes, Path stateDir) {
        boolean enabled = n.bool("enabled", false);
        String namespace = n.optionalString("namespace").orElse(env.getOrDefault("POD_NAMESPACE", "")).trim();
        String identity = n.optionalString("identity")
                .orElse(env.getOrDefault("POD_NAME", kubernetes.nodeName())).trim();
        String leaseName = n.string("leaseName", "vedetta-cluster-leader");
        Duration leaseDuration = n.duration("leaseDuration", Duration.ofSeconds(15));
        Duration renewDeadline = n.duration("renewDeadline", Duration.ofSeconds(10));
        Duration retryPeriod = n.duration("retryPeriod", Duration.ofSeconds(2));
        ConfigNode metrics = n.section("metrics");
        ConfigNode events = n.section("events");
        ClusterConfig config = new ClusterConfig(enabled, namespace, identity, leaseName, leaseDuration,
                renewDeadline, retryPeriod, metrics.bool("enabled", true),
                new Events(events.bool("enabled", true),
                        events.string("dataStreamPrefix", DEFAULT_EVENTS_DATA_STREAM_PREFIX),
                        events.string("dailyPrefix", DEFAULT_EVENTS_DAILY_PREFIX)),
                stateDir);
        if (!enabled) {
            return config;
        }
        if (!kubernetes.enabled()) {
            throw new ConfigException(n.path("enabled"), "the cluster collector needs the Kubernetes API",
                    "set kubernetes.enabled: true, or cluster.enabled: false");
        }
        if (namespace.isEmpty()) {
            throw new ConfigException(n.path("namespace"),
                    "no namespace for the Lease: the POD_NAMESPACE environment variable is unset",
                    "set POD_NAMESPACE from the downward API (fieldRef metadata.namespace) or cluster.namespace");
        }
        if (identity.isEmpty()) {
            throw new ConfigException(n.path("identity"), "no identity: POD_NAME and the node name are unset",
                    "set POD_NAME from the downward API (fieldRef metadata.name) or cluster.identity");
        }
        if (!OBJECT_NAME.matcher(leaseName).matches()) {
            throw new ConfigException(n.path("leaseName"), "\"" + leaseName + "\" is not a Kubernetes object name",
                    "use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
        }
        if (leaseDuration.toMillis() % 1000 != 0 || leaseDuration.toSeconds() < 1) {
            throw new ConfigException(n.path("leaseDuration"), "the Lease holds whole seconds",
                    "write it in whole seconds, at least 1s, e.g. 15s");
        }
        if (renewDeadline.compareTo(leaseDuration) >= 0) {
            throw new ConfigException(n.path("renewDeadline"), "not shorter than cluster.leaseDuration",
                    "make it shorter, e.g. two thirds of it (10s of 15s), so a leader that cannot renew stops before"
                            + " another may take over");
        }
        // Followers try every retryPeriod plus up to 1.2 times it (fabric8's jitter), as client-go requires.
        if (retryPeriod.isZero() || retryPeriod.toMillis() * 12 / 10 >= renewDeadline.toMillis()) {
            throw new ConfigException(n.path("retryPeriod"), "not well below cluster.renewDeadline",
                    "make 1.2 x retryPeriod shorter than renewDeadline, e.g. 2s for 10s");
        }
        return config;
    }
}

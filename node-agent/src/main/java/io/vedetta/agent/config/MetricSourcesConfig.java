package io.vedetta.agent.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How scrape-time metric sources are collected ({@code metrics.sources}).
 *
 * @param timeout how long a scrape waits for a source that has no entry in {@code timeouts}
 * @param timeouts per-source timeouts, keyed by the {@code source} label ({@code cadvisor}, {@code node}...)
 * @param maxStaleness how long the last good snapshot of a failing source is still served (marked stale)
 * @param threads collection threads shared by all sources
 * @param shareWindow a scrape that comes less than this long after a source's collection began is served that
 *     collection (a collection still running is always shared), so concurrent scrapes and two Prometheus
 *     replicas scraping close together cost the kubelet one request
 */
public record MetricSourcesConfig(Duration timeout, Map<String, Duration> timeouts, Duration maxStaleness, int threads,
        Duration shareWindow) {

    /** Shorter than the shortest common scrape interval (10s), so a lone scraper is never served a shared result. */
    public static final Duration DEFAULT_SHARE_WINDOW = Duration.ofSeconds(5);

    public MetricSourcesConfig {
        timeouts = Map.copyOf(timeouts);
    }

    public static MetricSourcesConfig defaults() {
        return new MetricSourcesConfig(Duration.ofSeconds(10), Map.of(), Duration.ofMinutes(5), 4, DEFAULT_SHARE_WINDOW);
    }

    public Duration timeoutFor(String source) {
        return timeouts.getOrDefault(source, timeout);
    }

    static MetricSourcesConfig from(ConfigNode n) {
        Duration timeout = n.duration("timeout", Duration.ofSeconds(10));
        Map<String, Duration> timeouts = new LinkedHashMap<>();
        ConfigNode perSource = n.section("timeouts");
        for (String source : n.stringMap("timeouts").keySet()) {
            timeouts.put(source, perSource.duration(source, timeout));
        }
        MetricSourcesConfig config = new MetricSourcesConfig(timeout, timeouts,
                n.duration("maxStaleness", Duration.ofMinutes(5)), n.integer("threads", 4, 1, 16),
                n.duration("shareWindow", DEFAULT_SHARE_WINDOW));
        if (timeout.isZero()) {
            throw new ConfigException(n.path("timeout"), "a zero timeout fails every source",
                    "set a positive duration such as 10s");
        }
        timeouts.forEach((source, value) -> {
            if (value.isZero()) {
                throw new ConfigException(perSource.path(source), "a zero timeout fails the source every time",
                        "set a positive duration such as 5s");
            }
        });
        return config;
    }
}

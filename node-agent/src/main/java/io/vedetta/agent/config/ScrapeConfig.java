package io.vedetta.agent.config;

import io.vedetta.agent.relabel.Relabeling;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Scraping the pods of this node that ask for it ({@code scrape}), found in the pod cache by their
 * {@code prometheus.io/*} annotations; what is scraped goes to {@code remoteWrite}, so nothing is scraped without an
 * endpoint there.
 *
 * @param sampleLimit samples per target after metric relabelling; a scrape with more fails ({@code up} 0). 0: none
 * @param labelLimit labels per series after metric relabelling; a scrape with a series over it fails. 0: none
 * @param bodySizeLimit bytes of an uncompressed response body; a longer one fails the scrape. 0: none
 * @param podLabels pod label keys that become target labels (the key with characters outside {@code [a-zA-Z0-9_]}
 *     replaced by {@code _})
 * @param self whether the agent's own series (everything its {@code /metrics} serves) join the write-ahead log, as
 *     an internal scrape at {@code interval}
 */
public record ScrapeConfig(
        boolean enabled,
        Duration interval,
        Duration timeout,
        int sampleLimit,
        int labelLimit,
        long bodySizeLimit,
        boolean honorLabels,
        boolean honorTimestamps,
        List<ScrapeProtocol> protocols,
        List<String> namespacesInclude,
        List<String> namespacesExclude,
        List<String> podLabels,
        Relabeling relabelConfigs,
        Relabeling metricRelabelConfigs,
        Optional<Path> caFile,
        boolean insecureSkipVerify,
        boolean self) {

    public ScrapeConfig {
        protocols = List.copyOf(protocols);
        namespacesInclude = List.copyOf(namespacesInclude);
        namespacesExclude = List.copyOf(namespacesExclude);
        podLabels = List.copyOf(podLabels);
    }

    static final List<ScrapeProtocol> DEFAULT_PROTOCOLS = List.of(ScrapeProtocol.OPENMETRICS_TEXT_1_0_0,
            ScrapeProtocol.OPENMETRICS_TEXT_0_0_1, ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);

    static ScrapeConfig from(ConfigNode n) {
        Duration interval = n.duration("interval", Duration.ofSeconds(30));
        Duration timeout = n.duration("timeout", Duration.ofSeconds(10));
        if (interval.isZero()) {
            throw new ConfigException(n.path("interval"), "the interval must be longer than 0",
                    "set " + n.path("interval") + " to e.g. 30s");
        }
        if (timeout.isZero() || timeout.compareTo(interval) > 0) {
            throw new ConfigException(n.path("timeout"), "the timeout (" + timeout.toMillis() + "ms) must be longer"
                    + " than 0 and no longer than scrape.interval (" + interval.toMillis() + "ms)",
                    "set " + n.path("timeout") + " to at most " + n.path("interval"));
        }
        ConfigNode namespaces = n.section("namespaces");
        ConfigNode tls = n.section("tls");
        return new ScrapeConfig(
                n.bool("enabled", true),
                interval,
                timeout,
                n.integer("sampleLimit", 50_000, 0, Integer.MAX_VALUE),
                n.integer("labelLimit", 64, 0, 10_000),
                n.bytes("bodySizeLimit", 64L << 20),
                n.bool("honorLabels", false),
                n.bool("honorTimestamps", true),
                protocols(n),
                namespaces.stringList("include", List.of()),
                namespaces.stringList("exclude", List.of()),
                n.stringList("podLabels", List.of()),
                RelabelConfigs.from(n, "relabelConfigs"),
                RelabelConfigs.from(n, "metricRelabelConfigs"),
                tls.optionalString("caFile").filter(s -> !s.isBlank()).map(Path::of),
                tls.bool("insecureSkipVerify", false),
                n.section("self").bool("enabled", true));
    }

    private static List<ScrapeProtocol> protocols(ConfigNode n) {
        List<String> written = n.stringList("protocols",
                DEFAULT_PROTOCOLS.stream().map(ScrapeProtocol::written).toList());
        List<ScrapeProtocol> out = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            String w = written.get(i);
            ScrapeProtocol protocol = Arrays.stream(ScrapeProtocol.values()).filter(p -> p.written().equals(w))
                    .findFirst().orElseThrow(() -> new ConfigException(n.path("protocols"), "unknown protocol \"" + w
                            + "\"", "use " + Arrays.stream(ScrapeProtocol.values()).map(ScrapeProtocol::written)
                            .collect(Collectors.joining(", "))));
            if (out.contains(protocol)) {
                throw new ConfigException(n.path("protocols"), w + " is listed twice", "list each protocol once");
            }
            out.add(protocol);
        }
        if (out.isEmpty()) {
            throw new ConfigException(n.path("protocols"), "no protocol", "list at least PrometheusText0.0.4");
        }
        return out;
    }
}

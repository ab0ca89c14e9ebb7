package io.vedetta.logs.route;

import io.vedetta.logs.settings.InvalidSettingException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How record targets are named.
 *
 * @param mode             data streams or daily indices
 * @param dataStreamPrefix the data stream name before the route, e.g. {@code logs-kubernetes.container-}
 * @param dailyPrefix      the daily index name before the date, e.g. {@code logstash}
 * @param dailyByNamespace in daily mode, put the namespace between prefix and date ({@code logstash-shop-2024.01.02})
 * @param defaultRoute     the route of records whose namespace is unknown
 * @param annotation       what a pod's {@code vedetta.io/index} annotation may choose
 * @param maxRoutesPerNamespace with {@link AnnotationScope#NAMESPACED}, how many distinct suffixes the pods of one
 *                         namespace may use on this agent; records asking for more go to the namespace's own target
 * @param streams          other kinds of records that share the sink but not the container logs' targets (Kubernetes
 *                         events), by the name their records carry in {@link io.vedetta.logs.record.RoutingKey#stream()}
 */
public record IndexRoutes(IndexMode mode, String dataStreamPrefix, String dailyPrefix, boolean dailyByNamespace,
        String defaultRoute, AnnotationScope annotation, int maxRoutesPerNamespace, Map<String, Stream> streams) {

    public static final String DEFAULT_DATA_STREAM_PREFIX = "logs-kubernetes.container-";
    public static final String DEFAULT_DAILY_PREFIX = "logstash";
    public static final int DEFAULT_MAX_ROUTES_PER_NAMESPACE = 10;

    /**
     * The targets of one stream: named as the container logs' are, with its own prefixes, and created from an index
     * template of its own.
     *
     * @param template the {@code template} object (settings and mappings) of the stream's index template, as JSON
     */
    public record Stream(String dataStreamPrefix, String dailyPrefix, String template) {

        public Stream {
            requireIndexPrefix("dataStreamPrefix", dataStreamPrefix);
            requireIndexPrefix("dailyPrefix", dailyPrefix);
        }
    }

    public IndexRoutes {
        requireIndexPrefix("index.dataStreamPrefix", dataStreamPrefix);
        requireIndexPrefix("index.dailyPrefix", dailyPrefix);
        if (!IndexNames.sanitise(defaultRoute).equals(defaultRoute) || defaultRoute.isEmpty()) {
            throw new InvalidSettingException("index.defaultRoute", "must be a lowercase index name part,"
                    + " got \"" + defaultRoute + "\"");
        }
        Objects.requireNonNull(annotation, "annotation");
        if (maxRoutesPerNamespace < 0) {
            throw new InvalidSettingException("index.maxRoutesPerNamespace", "must not be negative, got "
                    + maxRoutesPerNamespace);
        }
        streams = Map.copyOf(streams);
    }

    public IndexRoutes(IndexMode mode, String dataStreamPrefix, String dailyPrefix, boolean dailyByNamespace,
            String defaultRoute, AnnotationScope annotation, int maxRoutesPerNamespace) {
        this(mode, dataStreamPrefix, dailyPrefix, dailyByNamespace, defaultRoute, annotation, maxRoutesPerNamespace,
                Map.of());
    }

    public static IndexRoutes defaults() {
        return new IndexRoutes(IndexMode.DATA_STREAM, DEFAULT_DATA_STREAM_PREFIX, DEFAULT_DAILY_PREFIX, false,
                "default", AnnotationScope.NAMESPACED, DEFAULT_MAX_ROUTES_PER_NAMESPACE);
    }

    /** These routes with {@code stream}'s targets added under {@code name}. */
    public IndexRoutes withStream(String name, Stream stream) {
        Map<String, Stream> more = new LinkedHashMap<>(streams);
        more.put(name, stream);
        return new IndexRoutes(mode, dataStreamPrefix, dailyPrefix, dailyByNamespace, defaultRoute, annotation,
                maxRoutesPerNamespace, more);
    }

    /** The index pattern that every target of these routes matches, for the index template. */
    public String pattern() {
        return pattern(dataStreamPrefix, dailyPrefix);
    }

    /** The index pattern of {@code stream}'s targets. */
    public String pattern(Stream stream) {
        return pattern(stream.dataStreamPrefix(), stream.dailyPrefix());
    }

    private String pattern(String dataStreamPrefix, String dailyPrefix) {
        return mode == IndexMode.DATA_STREAM ? dataStreamPrefix + "*" : dailyPrefix + "-*";
    }

    private static void requireIndexPrefix(String setting, String prefix) {
        if (prefix.isEmpty() || !IndexNames.sanitise(prefix).equals(prefix)) {
            throw new InvalidSettingException(setting, "must be a lowercase index name prefix, got \"" + prefix
                    + "\"");
        }
    }
}

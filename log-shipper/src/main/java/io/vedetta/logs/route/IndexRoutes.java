package io.vedetta.logs.route;

import io.vedetta.logs.settings.InvalidSettingException;
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
 */
public record IndexRoutes(IndexMode mode, String dataStreamPrefix, String dailyPrefix, boolean dailyByNamespace,
        String defaultRoute, AnnotationScope annotation, int maxRoutesPerNamespace) {

    public static final String DEFAULT_DATA_STREAM_PREFIX = "logs-kubernetes.container-";
    public static final String DEFAULT_DAILY_PREFIX = "logstash";
    public static final int DEFAULT_MAX_ROUTES_PER_NAMESPACE = 10;

    public IndexRoutes {
        if (!IndexNames.sanitise(dataStreamPrefix).equals(dataStreamPrefix) || dataStreamPrefix.isEmpty()) {
            throw new InvalidSettingException("index.dataStreamPrefix", "must be a lowercase index name"
                    + " prefix, got \"" + dataStreamPrefix + "\"");
        }
        if (!IndexNames.sanitise(dailyPrefix).equals(dailyPrefix) || dailyPrefix.isEmpty()) {
            throw new InvalidSettingException("index.dailyPrefix", "must be a lowercase index name,"
                    + " got \"" + dailyPrefix + "\"");
        }
        if (!IndexNames.sanitise(defaultRoute).equals(defaultRoute) || defaultRoute.isEmpty()) {
            throw new InvalidSettingException("index.defaultRoute", "must be a lowercase index name part,"
                    + " got \"" + defaultRoute + "\"");
        }
        Objects.requireNonNull(annotation, "annotation");
        if (maxRoutesPerNamespace < 0) {
            throw new InvalidSettingException("index.maxRoutesPerNamespace", "must not be negative, got "
                    + maxRoutesPerNamespace);
        }
    }

    public static IndexRoutes defaults() {
        return new IndexRoutes(IndexMode.DATA_STREAM, DEFAULT_DATA_STREAM_PREFIX, DEFAULT_DAILY_PREFIX, false,
                "default", AnnotationScope.NAMESPACED, DEFAULT_MAX_ROUTES_PER_NAMESPACE);
    }

    /** The index pattern that every target of these routes matches, for the index template. */
    public String pattern() {
        return mode == IndexMode.DATA_STREAM ? dataStreamPrefix + "*" : dailyPrefix + "-*";
    }
}

package io.vedetta.logs.route;

import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RoutingKey;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names the Elasticsearch target of each record: by the pod's {@code vedetta.io/index} annotation when it sets one
 * and {@link IndexRoutes#annotation()} lets it (by default only a suffix under the pod's own namespace, see
 * {@link AnnotatedRoutes}), else by namespace (data streams, or daily indices with {@code dailyByNamespace}), under the
 * prefixes of the record's stream (container logs unless the record names another). Names are computed once per
 * stream, route value and day and cached, so a record costs a map lookup.
 */
public final class IndexRouter {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;
    private static final int MAX_CACHED = 10_000;

    private final IndexRoutes routes;
    private final AnnotatedRoutes annotated;
    private final Map<String, String> names = new ConcurrentHashMap<>();
    /**
     * The last name given, found again without building its cache key: a batch's records mostly share their route
     * and day, and the key's concatenation was 2.4% of the bytes the agent allocated in the log benchmark.
     */
    private volatile Named last;

    /** {@code registry}: where the refusals of annotations are counted. */
    public IndexRouter(IndexRoutes routes, MeterRegistry registry) {
        this.routes = routes;
        this.annotated = new AnnotatedRoutes(routes.maxRoutesPerNamespace(), registry);
    }

    public IndexRoutes routes() {
        return routes;
    }

    /** The target of {@code document}; {@code nowNanos} (epoch) dates records that carry no time of their own. */
    public String route(Document document, long nowNanos) {
        RoutingKey routing = document.routingKey();
        long epochNanos = routing.epochNanos() >= 0 ? routing.epochNanos() : nowNanos;
        String route = annotatedRoute(routing);
        if (route.isEmpty() && (routes.mode() == IndexMode.DATA_STREAM || routes.dailyByNamespace())) {
            route = routing.namespace();
        }
        long day = Math.floorDiv(epochNanos, NANOS_PER_DAY);
        String stream = routing.stream();
        Named previous = last;
        if (previous != null && previous.day == day && previous.route.equals(route) && previous.stream.equals(stream)) {
            return previous.name;
        }
        String key = (routes.mode() == IndexMode.DATA_STREAM ? route : route + '\u0000' + day)
                + (stream.isEmpty() ? "" : '\u0001' + stream);
        String name = names.get(key);
        if (name == null) {
            if (names.size() >= MAX_CACHED) {
                names.clear();
            }
            name = name(route, day, routes.streams().get(stream));
            names.put(key, name);
        }
        last = new Named(route, day, stream, name);
        return name;
    }

    private record Named(String route, long day, String stream, String name) {
    }

    /** The route the annotation asks for and is allowed; empty when it asks for none or is refused. */
    private String annotatedRoute(RoutingKey routing) {
        if (routing.annotation().isBlank()) {
            return "";
        }
        return switch (routes.annotation()) {
            case NAMESPACED -> annotated.route(routing.namespace(), routing.annotation());
            case ANY -> routing.annotation();
            case OFF -> "";
        };
    }

    /** {@code stream} null: the container logs' prefixes (also for a stream these routes do not know). */
    private String name(String route, long day, IndexRoutes.Stream stream) {
        String part = IndexNames.sanitise(route);
        if (routes.mode() == IndexMode.DATA_STREAM) {
            String prefix = stream == null ? routes.dataStreamPrefix() : stream.dataStreamPrefix();
            return prefix + (part.isEmpty() ? routes.defaultRoute() : part);
        }
        String date = LocalDate.ofEpochDay(day).atStartOfDay(ZoneOffset.UTC).format(DAY);
        String prefix = stream == null ? routes.dailyPrefix() : stream.dailyPrefix();
        return prefix + "-" + (part.isEmpty() ? "" : part + "-") + date;
    }
}

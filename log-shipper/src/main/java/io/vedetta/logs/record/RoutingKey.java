package io.vedetta.logs.record;

/**
 * What a sink needs to know of a record to choose its destination, kept apart from the document so that it
 * survives serialisation (the buffer stores documents as JSON, and routing keys beside them): the namespace, the
 * pod's {@code vedetta.io/index} annotation, the record's own time (for daily indices), and the stream it belongs to.
 *
 * @param namespace  the pod's namespace, empty when unknown
 * @param annotation the pod's requested route, empty when it asks for none
 * @param epochNanos the record's time, or -1 when it has none
 * @param stream     the named stream of {@link io.vedetta.logs.route.IndexRoutes} whose targets the record goes to
 *                   (e.g. Kubernetes events), empty for container logs
 */
public record RoutingKey(String namespace, String annotation, long epochNanos, String stream) {

    public static final RoutingKey NONE = new RoutingKey("", "", -1);

    public RoutingKey {
        namespace = namespace == null ? "" : namespace;
        annotation = annotation == null ? "" : annotation;
        stream = stream == null ? "" : stream;
    }

    /** A container log record's key. */
    public RoutingKey(String namespace, String annotation, long epochNanos) {
        this(namespace, annotation, epochNanos, "");
    }
}

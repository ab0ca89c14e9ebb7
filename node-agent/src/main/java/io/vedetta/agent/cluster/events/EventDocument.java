package io.vedetta.agent.cluster.events;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RoutingKey;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One state of one Kubernetes event as it is stored: the fields event exporters give (reason, type, the object it
 * is about, the note, the reporting controller, how often it happened and when first and last), under
 * {@code kubernetes.event}, with {@code @timestamp} its last occurrence and {@code message} its note. Both API
 * generations are read: events.k8s.io/v1 fields, falling back to the deprecated core/v1 ones that old recorders
 * (the kubelet's) still fill.
 *
 * <p>Its id is the event's uid and resource version: every update of an event is a document of its own, and the
 * same update listed again (after a failover or a restart) has the same id, so Elasticsearch keeps it once.
 */
public final class EventDocument implements Document {

    /** The stream of the log routes that events go to. */
    public static final String STREAM = "events";

    private record Reference(String kind, String name, String namespace, String uid, String apiVersion,
            String fieldPath) {

        static Reference of(ObjectReference r) {
            return r == null ? null : new Reference(r.getKind(), r.getName(), r.getNamespace(), r.getUid(),
                    r.getApiVersion(), r.getFieldPath());
        }
    }

    private final String namespace;
    private final String name;
    private final String uid;
    private final String resourceVersion;
    private final String reason;
    private final String type;
    private final String action;
    private final String note;
    private final long count;
    private final Instant first;
    private final Instant last;
    private final String reportingController;
    private final String reportingInstance;
    private final Reference regarding;
    private final Reference related;

    private EventDocument(Event e) {
        var meta = Objects.requireNonNull(e.getMetadata(), "event without metadata");
        this.namespace = text(meta.getNamespace());
        this.name = text(meta.getName());
        this.uid = text(meta.getUid());
        this.resourceVersion = text(meta.getResourceVersion());
        this.reason = e.getReason();
        this.type = e.getType();
        this.action = e.getAction();
        this.note = e.getNote();
        long seriesCount = e.getSeries() == null || e.getSeries().getCount() == null ? 0 : e.getSeries().getCount();
        long deprecatedCount = e.getDeprecatedCount() == null ? 0 : e.getDeprecatedCount();
        this.count = seriesCount > 0 ? seriesCount : Math.max(deprecatedCount, 1);
        Instant created = time(meta.getCreationTimestamp());
        Instant eventTime = time(e.getEventTime());
        Instant firstSeen = first(time(e.getDeprecatedFirstTimestamp()), eventTime, created);
        this.first = firstSeen;
        this.last = first(e.getSeries() == null ? null : time(e.getSeries().getLastObservedTime()),
                time(e.getDeprecatedLastTimestamp()), eventTime, firstSeen);
        this.reportingController = e.getReportingController() != null && !e.getReportingController().isEmpty()
                ? e.getReportingController()
                : e.getDeprecatedSource() == null ? null : e.getDeprecatedSource().getComponent();
        this.reportingInstance = e.getReportingInstance() != null && !e.getReportingInstance().isEmpty()
                ? e.getReportingInstance()
                : e.getDeprecatedSource() == null ? null : e.getDeprecatedSource().getHost();
        this.regarding = Reference.of(e.getRegarding());
        this.related = Reference.of(e.getRelated());
    }

    public static EventDocument of(Event event) {
        return new EventDocument(event);
    }

    /** {@code <uid>-<resourceVersion>}: one document per update of an event. */
    public String id() {
        return uid + "-" + resourceVersion;
    }

    public String resourceVersion() {
        return resourceVersion;
    }

    @Override
    public RoutingKey routingKey() {
        long nanos = last == null ? -1 : last.getEpochSecond() * 1_000_000_000L + last.getNano();
        return new RoutingKey(namespace, "", nanos, STREAM);
    }

    @Override
    public void writeTo(JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (last != null) {
            g.writeStringField("@timestamp", last.toString());
        }
        if (note != null) {
            g.writeStringField("message", note);
        }
        g.writeObjectFieldStart("kubernetes");
        g.writeStringField("namespace", namespace);
        g.writeObjectFieldStart("event");
        g.writeStringField("uid", uid);
        g.writeStringField("name", name);
        g.writeStringField("resource_version", resourceVersion);
        field(g, "reason", reason);
        field(g, "type", type);
        field(g, "action", action);
        field(g, "note", note);
        g.writeNumberField("count", count);
        if (first != null) {
            g.writeStringField("first_timestamp", first.toString());
        }
        if (last != null) {
            g.writeStringField("last_timestamp", last.toString());
        }
        field(g, "reporting_controller", reportingController);
        field(g, "reporting_instance", reportingInstance);
        reference(g, "regarding", regarding);
        reference(g, "related", related);
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void reference(JsonGenerator g, String field, Reference r) throws IOException {
        if (r == null) {
            return;
        }
        g.writeObjectFieldStart(field);
        field(g, "kind", r.kind());
        field(g, "name", r.name());
        field(g, "namespace", r.namespace());
        field(g, "uid", r.uid());
        field(g, "api_version", r.apiVersion());
        field(g, "field_path", r.fieldPath());
        g.writeEndObject();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }

    private static Instant time(MicroTime t) {
        return t == null ? null : time(t.getTime());
    }

    private static Instant time(String t) {
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant first(Instant... candidates) {
        for (Instant i : candidates) {
            if (i != null) {
                return i;
            }
        }
        return null;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}

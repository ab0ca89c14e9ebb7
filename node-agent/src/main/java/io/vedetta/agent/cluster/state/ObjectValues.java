package io.vedetta.agent.cluster.state;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Reads the fields of fabric8's model, where anything may be null, into the values kube-state-metrics exposes.
 * Strings kept for many objects (namespaces, owner kinds and names) are interned: the leader keeps one copy of a
 * namespace's name, not one per object.
 */
final class ObjectValues {

    /** A time the object does not have; series of it are left out. */
    static final double NO_TIME = Double.NaN;

    private ObjectValues() {
    }

    static String namespace(ObjectMeta meta) {
        return intern(meta.getNamespace());
    }

    static String name(ObjectMeta meta) {
        return text(meta.getName());
    }

    static String text(String value) {
        return value == null ? "" : value;
    }

    static String intern(String value) {
        return value == null ? "" : value.intern();
    }

    static int count(Integer value) {
        return value == null ? 0 : value;
    }

    static long count(Long value) {
        return value == null ? 0 : value;
    }

    static boolean flag(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    /** Unix seconds of an RFC 3339 time (the API's timestamps), or {@link #NO_TIME}. */
    static double seconds(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return NO_TIME;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(timestamp);
            return t.toEpochSecond() + t.getNano() / 1e9;
        } catch (DateTimeParseException e) {
            return NO_TIME;
        }
    }

    static boolean has(double time) {
        return !Double.isNaN(time);
    }

    /**
     * The owners as kube-state-metrics' {@code *_owner} series name them; an object without owners has one owner
     * whose three labels are empty (kube-state-metrics ≥ 2.8, kubernetes/kube-state-metrics#1923: {@code <none>}
     * before), which kubernetes-mixin's bare ReplicaSet and Job rules select with {@code owner_kind=""}.
     */
    static List<Owner> owners(List<OwnerReference> references) {
        if (references == null || references.isEmpty()) {
            return Owner.NONE;
        }
        return references.stream()
                .map(r -> new Owner(intern(r.getKind()), intern(r.getName()), flag(r.getController()) ? "true" : "false"))
                .toList();
    }

    record Owner(String kind, String name, String isController) {
        static final List<Owner> NONE = List.of(new Owner("", "", ""));
    }

    /** A condition's type, status and reason. */
    record Condition(String type, String status, String reason) {
        static Condition of(String type, String status, String reason) {
            return new Condition(intern(type), intern(status), intern(reason));
        }
    }

    /**
     * Resource amounts with kube-state-metrics' {@code resource} and {@code unit} labels: cpu in cores, memory,
     * storage, hugepages and attachable volumes in bytes, pods and extended resources as integers. Other native
     * resources have no series there, so none here.
     */
    record Amount(String resource, String unit, double value) {
    }

    static List<Amount> amounts(Map<String, Quantity> quantities) {
        if (quantities == null) {
            return List.of();
        }
        List<Amount> out = new java.util.ArrayList<>();
        quantities.forEach((name, quantity) -> {
            String unit = unit(name);
            if (unit == null || quantity == null) {
                return;
            }
            try {
                out.add(new Amount(intern(name.replaceAll("[^a-zA-Z0-9_]", "_")), unit,
                        quantity.getNumericalAmount().doubleValue()));
            } catch (ArithmeticException | IllegalArgumentException e) {
                // A quantity the API server accepted but that does not parse is left out, as kube-state-metrics does.
            }
        });
        return List.copyOf(out);
    }

    private static String unit(String resource) {
        if (resource.equals("cpu")) {
            return "core";
        }
        if (resource.equals("memory") || resource.equals("storage") || resource.equals("ephemeral-storage")
                || resource.startsWith("hugepages-") || resource.startsWith("attachable-volumes-")) {
            return "byte";
        }
        if (resource.equals("pods")) {
            return "integer";
        }
        // Extended resources (vendor.example/gpu) are counted; other kubernetes.io resources have no unit there.
        boolean extended = resource.contains("/") && !resource.startsWith("kubernetes.io/")
                && !resource.startsWith("requests.");
        return extended ? "integer" : null;
    }
}

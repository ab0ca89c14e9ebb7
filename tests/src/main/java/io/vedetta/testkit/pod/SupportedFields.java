package io.vedetta.testkit.pod;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every field of a pod template the runner knows how to run, as a tree: anything else the chart renders (a volume
 * type, a securityContext field, a lifecycle hook) is refused by {@link #check(JsonNode)} with its path, so the chart
 * cannot move past what the end-to-end tests run. Fields that only steer scheduling are accepted because the pod is
 * already on its node; the values a field may take are checked where the field is used.
 */
final class SupportedFields {

    /** A field whose value is a scalar, a list of scalars, or a map of free keys (labels). */
    private static final Shape LEAF = new Shape(null, false);

    private static final Shape SECCOMP = object(Map.of("type", LEAF));
    private static final Shape KEY_REF = object(Map.of("name", LEAF, "key", LEAF, "optional", LEAF));
    private static final Shape ENV = list(object(Map.of(
            "name", LEAF,
            "value", LEAF,
            "valueFrom", object(Map.of(
                    "fieldRef", object(Map.of("fieldPath", LEAF, "apiVersion", LEAF)),
                    "secretKeyRef", KEY_REF,
                    "configMapKeyRef", KEY_REF)))));
    private static final Shape PROBE = object(Map.of(
            "httpGet", object(Map.of("path", LEAF, "port", LEAF, "scheme", LEAF,
                    "httpHeaders", list(object(Map.of("name", LEAF, "value", LEAF))))),
            "initialDelaySeconds", LEAF,
            "periodSeconds", LEAF,
            "timeoutSeconds", LEAF,
            "failureThreshold", LEAF,
            "successThreshold", LEAF,
            "terminationGracePeriodSeconds", LEAF));
    private static final Shape CONTAINER = object(Map.ofEntries(
            Map.entry("name", LEAF),
            Map.entry("image", LEAF),
            Map.entry("imagePullPolicy", LEAF),
            Map.entry("command", LEAF),
            Map.entry("args", LEAF),
            Map.entry("workingDir", LEAF),
            Map.entry("env", ENV),
            Map.entry("ports", list(object(Map.of("name", LEAF, "containerPort", LEAF, "protocol", LEAF, "hostPort", LEAF)))),
            Map.entry("livenessProbe", PROBE),
            Map.entry("readinessProbe", PROBE),
            Map.entry("resources", object(Map.of(
                    "requests", object(Map.of("cpu", LEAF, "memory", LEAF)),
                    "limits", object(Map.of("cpu", LEAF, "memory", LEAF))))),
            Map.entry("securityContext", object(Map.of(
                    "readOnlyRootFilesystem", LEAF,
                    "allowPrivilegeEscalation", LEAF,
                    "privileged", LEAF,
                    "capabilities", object(Map.of("add", LEAF, "drop", LEAF)),
                    "runAsUser", LEAF,
                    "runAsGroup", LEAF,
                    "runAsNonRoot", LEAF,
                    "seccompProfile", SECCOMP))),
            Map.entry("volumeMounts", list(object(Map.of(
                    "name", LEAF, "mountPath", LEAF, "readOnly", LEAF, "mountPropagation", LEAF, "recursiveReadOnly", LEAF))))));
    private static final Shape ITEMS = list(object(Map.of("key", LEAF, "path", LEAF, "mode", LEAF)));
    private static final Shape VOLUME = object(Map.of(
            "name", LEAF,
            "hostPath", object(Map.of("path", LEAF, "type", LEAF)),
            "configMap", object(Map.of("name", LEAF, "items", ITEMS, "defaultMode", LEAF, "optional", LEAF)),
            "secret", object(Map.of("secretName", LEAF, "items", ITEMS, "defaultMode", LEAF, "optional", LEAF)),
            "emptyDir", object(Map.of("medium", LEAF, "sizeLimit", LEAF))));
    /** Scheduling only: the runner has already placed the pod on its node. */
    private static final Set<String> SCHEDULING = Set.of("tolerations", "priorityClassName", "priority",
            "schedulerName", "imagePullSecrets", "topologySpreadConstraints");
    private static final Shape POD_SPEC = object(Map.ofEntries(
            Map.entry("containers", list(CONTAINER)),
            Map.entry("volumes", list(VOLUME)),
            Map.entry("securityContext", object(Map.of("runAsUser", LEAF, "runAsGroup", LEAF, "runAsNonRoot", LEAF,
                    "seccompProfile", SECCOMP))),
            Map.entry("serviceAccountName", LEAF),
            Map.entry("serviceAccount", LEAF),
            Map.entry("automountServiceAccountToken", LEAF),
            Map.entry("terminationGracePeriodSeconds", LEAF),
            Map.entry("hostNetwork", LEAF),
            Map.entry("hostPID", LEAF),
            Map.entry("hostIPC", LEAF),
            Map.entry("dnsPolicy", LEAF),
            Map.entry("restartPolicy", LEAF),
            Map.entry("enableServiceLinks", LEAF),
            Map.entry("nodeSelector", LEAF),
            Map.entry("affinity", object(Map.of()))));
    private static final Shape TEMPLATE = object(Map.of(
            "apiVersion", LEAF,
            "kind", LEAF,
            "metadata", object(Map.of("name", LEAF, "namespace", LEAF, "labels", LEAF, "annotations", LEAF)),
            "spec", POD_SPEC));

    private SupportedFields() {
    }

    /** Throws naming every field of the pod template {@code template} that the runner would not honour. */
    static void check(JsonNode template) {
        List<String> unsupported = new ArrayList<>();
        walk(TEMPLATE, template, "template", unsupported);
        if (!unsupported.isEmpty()) {
            throw new UnsupportedPodSpecException("the pod runner does not support " + String.join(", ", unsupported)
                    + ": run what it supports, or teach it the field (and a test that fails when it is ignored)");
        }
    }

    private static void walk(Shape shape, JsonNode node, String path, List<String> unsupported) {
        if (shape.fields == null || node == null || node.isNull()) {
            return;
        }
        if (shape.list) {
            for (int i = 0; i < node.size(); i++) {
                walk(shape.element(), node.get(i), path + "[" + i + "]", unsupported);
            }
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String child = path + "." + field.getKey();
            Shape shapeOf = shape.fields.get(field.getKey());
            if (shapeOf == null) {
                if (!(shape == POD_SPEC && SCHEDULING.contains(field.getKey()))) {
                    unsupported.add(child);
                }
            } else {
                walk(shapeOf, field.getValue(), child, unsupported);
            }
        }
    }

    private static Shape object(Map<String, Shape> fields) {
        return new Shape(fields, false);
    }

    private static Shape list(Shape element) {
        return new Shape(Map.of("", element), true);
    }

    private record Shape(Map<String, Shape> fields, boolean list) {
        Shape element() {
            return fields.get("");
        }
    }
}

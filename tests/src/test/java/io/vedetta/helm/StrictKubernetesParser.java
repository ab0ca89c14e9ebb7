package io.vedetta.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;

/**
 * Parses rendered manifests into the fabric8 model and rejects any field the model does not know, so a
 * misspelt or misplaced field in a template fails the tests instead of being dropped by the API server.
 * The model's classes collect unknown fields in {@code additionalProperties} instead of failing, so besides
 * turning Jackson's FAIL_ON_UNKNOWN_PROPERTIES back on, every parsed object is walked for such leftovers.
 */
final class StrictKubernetesParser {

    /** Kinds defined by CustomResourceDefinitions (Prometheus Operator), parsed as generic resources. */
    static final Set<String> CUSTOM_KINDS = Set.of("ServiceMonitor", "PrometheusRule");

    private final KubernetesSerialization serialization = new KubernetesSerialization() {
        @Override
        protected ObjectMapper configureMapper(ObjectMapper mapper) {
            return super.configureMapper(mapper).rebuild()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();
        }
    };

    HasMetadata parse(String document) {
        GenericKubernetesResource generic = serialization.unmarshal(document, GenericKubernetesResource.class);
        if (CUSTOM_KINDS.contains(generic.getKind())) {
            return generic;
        }
        Object typed = serialization.unmarshal(document);
        if (!(typed instanceof HasMetadata resource) || typed instanceof GenericKubernetesResource) {
            throw new AssertionError("kind " + generic.getApiVersion() + "/" + generic.getKind()
                    + " is not in the Kubernetes model:\n" + document);
        }
        List<String> unknown = unknownFields(resource);
        if (!unknown.isEmpty()) {
            throw new AssertionError(resource.getKind() + " " + resource.getMetadata().getName()
                    + " has fields the Kubernetes API does not know: " + unknown);
        }
        return resource;
    }

    /** Paths of every field that landed in an {@code additionalProperties} map of the model. */
    static List<String> unknownFields(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, model.getClass().getSimpleName(), found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) child).keySet().forEach(k -> found.add(path + "." + k));
            } else {
                walk(child, path + "." + decapitalize(getter.getName().substring(3)), found);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}

package io.vedetta.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The objects of one rendering, each parsed strictly into the fabric8 model. */
record Rendered(String text, List<HasMetadata> objects) {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    static Rendered parse(String text) {
        StrictKubernetesParser parser = new StrictKubernetesParser();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : SEPARATOR.split(text)) {
            if (document.lines().anyMatch(line -> !line.isBlank() && !line.startsWith("#"))) {
                objects.add(parser.parse(document));
            }
        }
        return new Rendered(text, List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type) {
        List<T> found = all(type);
        if (found.size() > 1) {
            throw new AssertionError("expected at most one " + type.getSimpleName() + " but got " + found.size());
        }
        return found.stream().findFirst();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        return find(type).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " rendered"));
    }

    DaemonSet daemonSet() {
        return one(DaemonSet.class);
    }

    /** The ConfigMap holding the agent's configuration (the dashboards are ConfigMaps too). */
    ConfigMap agentConfigMap() {
        return all(ConfigMap.class).stream()
                .filter(c -> c.getData().containsKey("vedetta.yaml") && !isHook(c))
                .reduce((a, b) -> {
                    throw new AssertionError("two agent ConfigMaps");
                })
                .orElseThrow(() -> new AssertionError("no agent ConfigMap"));
    }

    /** What {@link Chart#renderWithHooks} calls the {@code helm.sh/hook} annotations, so that Helm renders them. */
    static final String RENAMED_HOOK = "test.vedetta.io/hook";

    /** Whether Helm runs {@code object} as a hook (the bootstrap Job's objects) rather than keeping it in the release. */
    static boolean isHook(HasMetadata object) {
        return hook(object, "") != null;
    }

    /** The hook annotation {@code helm.sh/hook<suffix>} of {@code object} (as renamed in a rendering with hooks). */
    static String hook(HasMetadata object, String suffix) {
        java.util.Map<String, String> annotations = object.getMetadata().getAnnotations();
        if (annotations == null) {
            return null;
        }
        String value = annotations.get("helm.sh/hook" + suffix);
        return value != null ? value : annotations.get(RENAMED_HOOK + suffix);
    }

    /** The agent's configuration file as the pods read it. */
    JsonNode agentConfig() {
        try {
            return YAML.readTree(agentConfigMap().getData().get("vedetta.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

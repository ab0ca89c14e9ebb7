package io.vedetta.logs.sink.forward;

import io.vedetta.logs.settings.InvalidSettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fluentd tag of a record: fixed text with {@code {namespace}}, {@code {pod}} and {@code {container}}
 * taken from the record's Kubernetes fields, in either field style (fluentd's {@code kubernetes.pod_name} or
 * ECS's {@code kubernetes.pod.name}). A value that is missing becomes {@code unknown}; dots in values are kept,
 * as fluentd's own kubernetes tags keep them.
 */
public final class TagTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final String UNKNOWN = "unknown";

    private final String template;
    private final List<String> literals = new ArrayList<>();
    private final List<Field> fields = new ArrayList<>();

    private enum Field { NAMESPACE, POD, CONTAINER }

    private TagTemplate(String template) {
        this.template = template;
    }

    /** Parses {@code template}; an unknown placeholder or an empty tag is rejected naming {@code logs.forward.tag}. */
    public static TagTemplate parse(String template) {
        if (template == null || template.isBlank()) {
            throw new InvalidSettingException("forward.tag", "must not be empty");
        }
        TagTemplate tag = new TagTemplate(template);
        Matcher m = PLACEHOLDER.matcher(template);
        int end = 0;
        while (m.find()) {
            tag.literals.add(template.substring(end, m.start()));
            tag.fields.add(switch (m.group(1)) {
                case "namespace" -> Field.NAMESPACE;
                case "pod" -> Field.POD;
                case "container" -> Field.CONTAINER;
                default -> throw new InvalidSettingException("forward.tag", "has an unknown placeholder {"
                        + m.group(1) + "}; use {namespace}, {pod} or {container}");
            });
            end = m.end();
        }
        tag.literals.add(template.substring(end));
        return tag;
    }

    String tagOf(Map<String, Object> record) {
        if (fields.isEmpty()) {
            return template;
        }
        Object kubernetes = record.get("kubernetes");
        Map<?, ?> k = kubernetes instanceof Map<?, ?> map ? map : Map.of();
        StringBuilder tag = new StringBuilder(template.length() + 48);
        for (int i = 0; i < fields.size(); i++) {
            tag.append(literals.get(i)).append(switch (fields.get(i)) {
                case NAMESPACE -> value(k, "namespace_name", "namespace", null);
                case POD -> value(k, "pod_name", "pod", "name");
                case CONTAINER -> value(k, "container_name", "container", "name");
            });
        }
        return tag.append(literals.get(fields.size())).toString();
    }

    /** The fluentd-style flat field, or the ECS one (a plain value, or {@code nestedKey} inside an object). */
    private static String value(Map<?, ?> kubernetes, String fluentd, String ecs, String nestedKey) {
        Object flat = kubernetes.get(fluentd);
        if (flat instanceof String s && !s.isEmpty()) {
            return s;
        }
        Object value = kubernetes.get(ecs);
        if (nestedKey != null && value instanceof Map<?, ?> nested) {
            value = nested.get(nestedKey);
        }
        return value instanceof String s && !s.isEmpty() ? s : UNKNOWN;
    }

    @Override
    public String toString() {
        return template;
    }
}

package io.vedetta.logs.enrich;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Rewrites label and annotation keys for Elasticsearch, which reads '.' in a field name as nesting: with
 * {@code app} and {@code app.kubernetes.io/name} on one pod, {@code app} would have to be both a string and
 * an object, and the record would be rejected. Like fluentd's de_dot, '.' becomes the separator ('_' by
 * default): {@code app.kubernetes.io/name} is written as {@code app_kubernetes_io/name}.
 */
final class KeyDeDotter {

    private final boolean enabled;
    private final String separator;

    KeyDeDotter(boolean enabled, String separator) {
        this.enabled = enabled;
        this.separator = separator;
    }

    /**
     * The map with rewritten keys, sorted by key so documents are stable. When two keys become the same
     * ({@code a.b} and {@code a_b}), the one that was already written that way wins and the other is passed to
     * {@code dropped}: a duplicate key would make Elasticsearch reject every record of the pod.
     */
    Map<String, String> apply(Map<String, String> source, Consumer<String> dropped) {
        Map<String, String> result = new TreeMap<>();
        if (!enabled) {
            result.putAll(source);
            return result;
        }
        for (Map.Entry<String, String> e : source.entrySet()) {
            if (e.getKey().indexOf('.') < 0) {
                result.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(source).entrySet()) {
            String key = e.getKey();
            if (key.indexOf('.') >= 0 && result.putIfAbsent(key.replace(".", separator), e.getValue()) != null) {
                dropped.accept(key);
            }
        }
        return result;
    }
}

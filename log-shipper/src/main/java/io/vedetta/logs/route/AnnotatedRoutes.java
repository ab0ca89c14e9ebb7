package io.vedetta.logs.route;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which route a pod's {@code vedetta.io/index} annotation gets under {@link AnnotationScope#NAMESPACED}:
 * {@code <namespace>.<suffix>} when the value is a valid suffix and the namespace has not used up its
 * {@code maxRoutesPerNamespace} distinct suffixes on this agent; otherwise none (the record goes where it would
 * without the annotation), counted by reason and logged once per namespace and value. Namespace names hold no
 * dot, so no suffix of one namespace can name another namespace's target.
 *
 * <p>Thread-safe: the sink encodes on more than one thread. Decisions are cached per namespace and value, so a
 * record costs a map lookup; the admitted suffixes are kept for the life of the process (a namespace cannot
 * cycle through new targets by waiting), bounded by the namespaces of the node times the cap.
 */
final class AnnotatedRoutes {

    static final String INVALID = "invalid";
    static final String LIMIT = "limit";
    /** Lowercase letters, digits, {@code . _ -}, starting with a letter or digit: valid in any index name. */
    static final Pattern SUFFIX = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private static final Logger LOG = LoggerFactory.getLogger(AnnotatedRoutes.class);
    private static final int MAX_CACHED = 10_000;
    private static final int MAX_LOGGED = 1_000;

    private record Decision(String route, Counter refused) {
    }

    private final int maxRoutesPerNamespace;
    private final Counter invalid;
    private final Counter limit;
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> admitted = new ConcurrentHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    AnnotatedRoutes(int maxRoutesPerNamespace, MeterRegistry registry) {
        this.maxRoutesPerNamespace = maxRoutesPerNamespace;
        this.invalid = refused(registry, INVALID);
        this.limit = refused(registry, LIMIT);
    }

    private static Counter refused(MeterRegistry registry, String reason) {
        return Counter.builder("vedetta.log.routes.refused").tag("reason", reason)
                .description("Records whose pod's vedetta.io/index annotation was not followed: not a valid suffix"
                        + " (invalid), or its namespace has elasticsearch.index.maxRoutesPerNamespace suffixes already"
                        + " (limit); they go where they would without it")
                .register(registry);
    }

    /** {@code <namespace>.<suffix>}, or empty when the annotation is refused (and then counted). */
    String route(String namespace, String annotation) {
        String key = namespace + '\u0000' + annotation;
        Decision decision = decisions.get(key);
        if (decision == null) {
            if (decisions.size() >= MAX_CACHED) {
                decisions.clear();
            }
            decision = decide(namespace, annotation);
            decisions.put(key, decision);
        }
        if (decision.refused() != null) {
            decision.refused().increment();
        }
        return decision.route();
    }

    private Decision decide(String namespace, String suffix) {
        if (namespace.isEmpty() || !SUFFIX.matcher(suffix).matches()) {
            logOnce(namespace + '\u0000' + suffix, "pods of namespace {} ask for index suffix \"{}\" (vedetta.io/index),"
                    + " which is not 1-63 lowercase letters, digits, '.', '_' or '-' starting with a letter or digit;"
                    + " their records go to the namespace's own target", namespace, abbreviate(suffix));
            return new Decision("", invalid);
        }
        Set<String> suffixes = admitted.computeIfAbsent(namespace, n -> new HashSet<>());
        synchronized (suffixes) {
            if (!suffixes.contains(suffix) && suffixes.size() >= maxRoutesPerNamespace) {
                logOnce(namespace, "namespace {} has used its {} index suffixes (elasticsearch.index.maxRoutesPerNamespace);"
                        + " records asking for others, such as \"{}\", go to the namespace's own target",
                        namespace, maxRoutesPerNamespace, suffix);
                return new Decision("", limit);
            }
            suffixes.add(suffix);
        }
        return new Decision(namespace + "." + suffix, null);
    }

    private void logOnce(String key, String message, Object... arguments) {
        if (logged.size() < MAX_LOGGED && logged.add(key)) {
            LOG.warn(message, arguments);
        }
    }

    /** Annotation values are the pod owner's text: quoted short, so a huge one cannot fill the log. */
    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "…";
    }
}

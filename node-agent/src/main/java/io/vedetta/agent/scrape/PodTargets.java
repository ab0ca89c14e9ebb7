package io.vedetta.agent.scrape;

import io.vedetta.agent.config.ScrapeConfig;
import io.vedetta.agent.kube.ContainerState;
import io.vedetta.agent.kube.PodState;
import io.vedetta.agent.relabel.LabelBuilder;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scrape targets of this node's pods, from the annotations users already write for Prometheus:
 * {@code prometheus.io/scrape: "true"}, {@code prometheus.io/port} (one target per port; several may be given,
 * comma-separated; without it, one per container port named {@code metrics}), {@code prometheus.io/path} (default
 * {@code /metrics}), {@code prometheus.io/scheme}, {@code prometheus.io/param_<name>} and
 * {@code prometheus.io/interval}. Only running pods with an IP are scraped.
 *
 * <p>Each target starts with the labels Prometheus' Kubernetes discovery gives a pod's port
 * ({@code __meta_kubernetes_pod_*}, {@code __address__}, ...) and the ones the conventional relabelling derives:
 * {@code namespace}, {@code pod}, {@code container} (the one declaring the port, or the pod's only container),
 * {@code node}, {@code job} ({@code <namespace>/<controller>}, a
 * ReplicaSet's name without its pod-template hash, or the pod's {@code vedetta.io/job} annotation) and the pod labels
 * of {@code scrape.podLabels}. Then {@code scrape.relabelConfigs} runs on them, as a Prometheus
 * {@code relabel_configs} would, and may drop the target; {@code instance} defaults to the address.
 */
final class PodTargets {

    static final String SCRAPE = "prometheus.io/scrape";
    static final String PORT = "prometheus.io/port";
    static final String PATH = "prometheus.io/path";
    static final String SCHEME = "prometheus.io/scheme";
    static final String PARAM = "prometheus.io/param_";
    static final String INTERVAL = "prometheus.io/interval";
    static final String JOB = "vedetta.io/job";
    private static final Pattern NOT_LABEL_CHAR = Pattern.compile("[^a-zA-Z0-9_]");

    /** Told about an annotation that cannot be used, once per pod and problem. */
    interface Problems {
        void report(PodState pod, String problem);
    }

    private final ScrapeConfig config;
    private final String nodeName;
    private final Problems problems;
    /**
     * Each pod's targets, kept while the pod cache hands out the same {@link PodState}: the cache replaces a pod's
     * state only when the pod changes, and building the targets (every label and annotation escaped, relabelling)
     * for every pod every second was a tenth of the agent's CPU in {@code scripts/bench remote-write}.
     */
    private final Map<String, Built> built = new HashMap<>();

    private record Built(PodState pod, List<ScrapeTarget> targets) {
    }

    PodTargets(ScrapeConfig config, String nodeName, Problems problems) {
        this.config = config;
        this.nodeName = nodeName;
        this.problems = problems;
    }

    /** The targets of {@code pods}; called from one thread at a time. */
    List<ScrapeTarget> of(List<PodState> pods) {
        List<ScrapeTarget> targets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PodState pod : pods) {
            seen.add(pod.uid());
            Built last = built.get(pod.uid());
            if (last == null || last.pod() != pod) {
                last = new Built(pod, wanted(pod) ? of(pod) : List.of());
                built.put(pod.uid(), last);
            }
            targets.addAll(last.targets());
        }
        built.keySet().retainAll(seen);
        return targets;
    }

    private boolean wanted(PodState pod) {
        Map<String, String> annotations = pod.pod().annotations();
        if (!"true".equals(annotations.get(SCRAPE)) || !"Running".equals(pod.phase()) || pod.podIp().isEmpty()) {
            return false;
        }
        if (!nodeName.isEmpty() && !nodeName.equals(pod.nodeName())) {
            return false;
        }
        if (!config.namespacesInclude().isEmpty() && !config.namespacesInclude().contains(pod.namespace())) {
            return false;
        }
        return !config.namespacesExclude().contains(pod.namespace());
    }

    private List<ScrapeTarget> of(PodState pod) {
        Map<String, String> annotations = pod.pod().annotations();
        String scheme = annotations.getOrDefault(SCHEME, "http");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            problems.report(pod, SCHEME + " is \"" + scheme + "\", not http or https");
            return List.of();
        }
        String path = annotations.getOrDefault(PATH, "/metrics");
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        Duration interval = config.interval();
        if (annotations.containsKey(INTERVAL)) {
            Duration annotated = GoDurations.parse(annotations.get(INTERVAL));
            if (annotated == null) {
                problems.report(pod, INTERVAL + " is \"" + annotations.get(INTERVAL) + "\", not a duration such as 15s;"
                        + " scrape.interval is used");
            } else {
                interval = annotated;
            }
        }
        Duration timeout = config.timeout().compareTo(interval) > 0 ? interval : config.timeout();
        List<ScrapeTarget> out = new ArrayList<>();
        for (int port : ports(pod)) {
            ScrapeTarget target = target(pod, port, scheme, path, interval, timeout);
            if (target != null) {
                out.add(target);
            }
        }
        return out;
    }

    /** The annotated ports, or the container ports named {@code metrics}. */
    private List<Integer> ports(PodState pod) {
        String annotated = pod.pod().annotations().get(PORT);
        List<Integer> ports = new ArrayList<>();
        if (annotated != null && !annotated.isBlank()) {
            for (String p : annotated.split(",")) {
                try {
                    int port = Integer.parseInt(p.trim());
                    if (port < 1 || port > 65535) {
                        throw new NumberFormatException();
                    }
                    if (!ports.contains(port)) {
                        ports.add(port);
                    }
                } catch (NumberFormatException e) {
                    problems.report(pod, PORT + " has \"" + p.trim() + "\", not a port number");
                }
            }
            return ports;
        }
        pod.allContainers().flatMap(c -> c.ports().stream())
                .filter(p -> p.name().equals("metrics") && p.protocol().equals("TCP"))
                .forEach(p -> {
                    if (!ports.contains(p.number())) {
                        ports.add(p.number());
                    }
                });
        if (ports.isEmpty()) {
            problems.report(pod, "annotated " + SCRAPE + " but has no " + PORT + " annotation and no container port"
                    + " named metrics");
        }
        return ports;
    }

    private ScrapeTarget target(PodState pod, int port, String scheme, String path, Duration interval,
            Duration timeout) {
        LabelBuilder b = new LabelBuilder();
        meta(b, pod);
        ContainerState container = pod.allContainers()
                .filter(c -> c.ports().stream().anyMatch(p -> p.number() == port)).findFirst()
                .orElse(pod.containers().size() == 1 ? pod.containers().get(0) : null);
        if (container != null) {
            b.set("__meta_kubernetes_pod_container_name", container.name());
            b.set("__meta_kubernetes_pod_container_image", container.container().image());
            b.set("__meta_kubernetes_pod_container_init",
                    String.valueOf(pod.initContainers().contains(container)));
            container.ports().stream().filter(x -> x.number() == port).findFirst().ifPresent(p -> {
                b.set("__meta_kubernetes_pod_container_port_name", p.name());
                b.set("__meta_kubernetes_pod_container_port_number", String.valueOf(p.number()));
                b.set("__meta_kubernetes_pod_container_port_protocol", p.protocol());
            });
        }
        String address = (pod.podIp().contains(":") ? "[" + pod.podIp() + "]" : pod.podIp()) + ":" + port;
        b.set("__address__", address);
        b.set("__scheme__", scheme);
        b.set("__metrics_path__", path);
        b.set("__scrape_interval__", seconds(interval));
        b.set("__scrape_timeout__", seconds(timeout));
        pod.pod().annotations().forEach((key, value) -> {
            if (key.startsWith(PARAM) && key.length() > PARAM.length()) {
                b.set("__param_" + key.substring(PARAM.length()), value);
            }
        });
        b.set("job", job(pod));
        b.set("namespace", pod.namespace());
        b.set("pod", pod.name());
        b.set("container", container == null ? "" : container.name());
        b.set("node", nodeName.isEmpty() ? pod.nodeName() : nodeName);
        for (String key : config.podLabels()) {
            b.set(sanitize(key), pod.pod().labels().getOrDefault(key, ""));
        }
        if (!config.relabelConfigs().apply(b)) {
            return null;
        }
        return finish(b, pod);
    }

    /** Turns the relabelled labels into the target: URL from the {@code __} labels, which are then dropped. */
    private ScrapeTarget finish(LabelBuilder b, PodState pod) {
        String address = b.get("__address__");
        if (address.isEmpty()) {
            problems.report(pod, "scrape.relabelConfigs left a target without __address__");
            return null;
        }
        Duration interval = GoDurations.parse(b.get("__scrape_interval__"));
        Duration timeout = GoDurations.parse(b.get("__scrape_timeout__"));
        if (interval == null || timeout == null) {
            problems.report(pod, "scrape.relabelConfigs left an unreadable __scrape_interval__ or __scrape_timeout__");
            return null;
        }
        if (timeout.compareTo(interval) > 0) {
            timeout = interval;
        }
        StringBuilder query = new StringBuilder();
        Map<String, String> labels = new LinkedHashMap<>();
        b.forEach((name, value) -> {
            if (name.startsWith("__param_")) {
                query.append(query.length() == 0 ? "?" : "&")
                        .append(URLEncoder.encode(name.substring("__param_".length()), StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            } else if (!name.startsWith("__")) {
                labels.put(name, value);
            }
        });
        labels.putIfAbsent("instance", address);
        String scheme = b.get("__scheme__").isEmpty() ? "http" : b.get("__scheme__");
        String path = b.get("__metrics_path__").isEmpty() ? "/metrics" : b.get("__metrics_path__");
        URI url;
        try {
            url = URI.create(scheme + "://" + address + (path.startsWith("/") ? "" : "/") + path + query);
        } catch (IllegalArgumentException e) {
            problems.report(pod, "the target URL is not valid: " + e.getMessage());
            return null;
        }
        return new ScrapeTarget(url, labels, interval, timeout, pod.uid());
    }

    /** The labels Prometheus' Kubernetes discovery gives every target of a pod. */
    private static void meta(LabelBuilder b, PodState pod) {
        b.set("__meta_kubernetes_namespace", pod.namespace());
        b.set("__meta_kubernetes_pod_name", pod.name());
        b.set("__meta_kubernetes_pod_ip", pod.podIp());
        b.set("__meta_kubernetes_pod_uid", pod.uid());
        b.set("__meta_kubernetes_pod_node_name", pod.nodeName());
        b.set("__meta_kubernetes_pod_host_ip", pod.hostIp());
        b.set("__meta_kubernetes_pod_phase", pod.phase());
        b.set("__meta_kubernetes_pod_ready", pod.ready().isEmpty() ? "unknown" : pod.ready().toLowerCase());
        b.set("__meta_kubernetes_pod_controller_kind", pod.ownerKind());
        b.set("__meta_kubernetes_pod_controller_name", pod.ownerName());
        pod.pod().labels().forEach((k, v) -> {
            b.set("__meta_kubernetes_pod_label_" + sanitize(k), v);
            b.set("__meta_kubernetes_pod_labelpresent_" + sanitize(k), "true");
        });
        pod.pod().annotations().forEach((k, v) -> {
            b.set("__meta_kubernetes_pod_annotation_" + sanitize(k), v);
            b.set("__meta_kubernetes_pod_annotationpresent_" + sanitize(k), "true");
        });
    }

    /**
     * {@code <namespace>/<controller>}: the workload, stable across its pods and rollouts (a ReplicaSet's name without
     * the pod-template hash its pods carry, so a Deployment's); the pod itself when it has no controller.
     */
    static String job(PodState pod) {
        String annotated = pod.pod().annotations().get(JOB);
        if (annotated != null && !annotated.isBlank()) {
            return annotated.trim();
        }
        String owner = pod.ownerName();
        if (owner.isEmpty()) {
            return pod.namespace() + "/" + pod.name();
        }
        String hash = pod.pod().labels().get("pod-template-hash");
        if ("ReplicaSet".equals(pod.ownerKind()) && hash != null && owner.endsWith("-" + hash)) {
            owner = owner.substring(0, owner.length() - hash.length() - 1);
        }
        return pod.namespace() + "/" + owner;
    }

    static String sanitize(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return NOT_LABEL_CHAR.matcher(key).replaceAll("_");
            }
        }
        return key;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}

package io.vedetta.bench;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A full node's {@code /metrics/cadvisor}, templated from a recorded real response: the recorded node's own
 * cgroups (series without a pod) are kept as they are, its pods are left out, and one recorded pod's series
 * (its pause container and its two containers) are replicated for every given pod with that pod's name,
 * namespace, uid, container names and container ids. A pod with more containers than the recorded one reuses
 * the recorded containers' series in turn. Labels are the recorded kubelet's (before 1.16: {@code pod_name},
 * {@code container_name}), which the agent renames; sample values are the recorded ones.
 */
final class FullNodeCadvisor {

    /** The recorded pod whose series are replicated: a pause container and two containers. */
    static final String TEMPLATE_POD = "fluentd-gcp-v2.0.10-9q9t4";
    private static final String PAUSE = "POD";
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private FullNodeCadvisor() {
    }

    /** The response body for {@code pods}, each with the containers of its status. */
    static byte[] render(String recorded, List<Pod> pods) {
        List<Family> families = families(recorded);
        Map<String, String> roleById = rolesById(families);
        List<String> templateContainers = roleById.values().stream().filter(r -> !r.equals(PAUSE) && !r.isEmpty())
                .distinct().toList();
        if (templateContainers.isEmpty()) {
            throw new IllegalStateException("the recorded response has no container series of pod " + TEMPLATE_POD);
        }
        StringBuilder out = new StringBuilder(recorded.length() * pods.size());
        for (Family family : families) {
            family.header.forEach(line -> out.append(line).append('\n'));
            family.node.forEach(line -> out.append(line).append('\n'));
            for (Pod pod : pods) {
                List<ContainerStatus> containers = pod.getStatus().getContainerStatuses();
                for (String line : family.template) {
                    String role = roleById.getOrDefault(label(line, "id"), "");
                    if (role.equals(PAUSE) || role.isEmpty()) {
                        out.append(substitute(line, pod, null)).append('\n');
                        continue;
                    }
                    for (int i = 0; i < containers.size(); i++) {
                        if (templateContainers.get(i % templateContainers.size()).equals(role)) {
                            out.append(substitute(line, pod, containers.get(i))).append('\n');
                        }
                    }
                }
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The series lines of one metric family, sorted into the node's own, the template pod's, and dropped ones. */
    private static final class Family {
        final List<String> header = new ArrayList<>();
        final List<String> node = new ArrayList<>();
        final List<String> template = new ArrayList<>();
    }

    private static List<Family> families(String recorded) {
        List<Family> families = new ArrayList<>();
        Family current = null;
        for (String line : recorded.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                boolean hasSamples = current != null && (!current.node.isEmpty() || !current.template.isEmpty());
                if (current == null || hasSamples || line.startsWith("# HELP")) {
                    current = new Family();
                    families.add(current);
                }
                current.header.add(line);
                continue;
            }
            if (current == null) {
                current = new Family();
                families.add(current);
            }
            String pod = label(line, "pod_name");
            if (pod == null || pod.isEmpty()) {
                current.node.add(line);
            } else if (pod.equals(TEMPLATE_POD)) {
                current.template.add(line);
            }
        }
        return families;
    }

    /** The template pod's cgroup ids and the container each belongs to ({@code POD} for the pause container). */
    private static Map<String, String> rolesById(List<Family> families) {
        Map<String, String> roles = new LinkedHashMap<>();
        for (Family family : families) {
            for (String line : family.template) {
                String container = label(line, "container_name");
                if (container != null && !container.isEmpty()) {
                    roles.putIfAbsent(label(line, "id"), container);
                }
            }
        }
        return roles;
    }

    /** The line with the template pod's identity replaced by {@code pod}'s and {@code container}'s (null: pause). */
    private static String substitute(String line, Pod pod, ContainerStatus container) {
        String podName = pod.getMetadata().getName();
        String namespace = pod.getMetadata().getNamespace();
        String uid = pod.getMetadata().getUid();
        String containerName = container == null ? PAUSE : container.getName();
        String id = container == null ? sandboxId(uid) : container.getContainerID().replaceFirst("^[a-z]+://", "");
        String cgroup = "/kubepods/burstable/pod" + uid + "/" + id;
        String image = container == null ? "registry.k8s.io/pause:3.9" : container.getImage();
        String dockerName = "k8s_" + containerName + "_" + podName + "_" + namespace + "_" + uid + "_0";
        int open = line.indexOf('{');
        int close = line.lastIndexOf('}');
        Matcher m = LABEL.matcher(line.substring(open, close + 1));
        StringBuilder labels = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "pod_name" -> podName;
                case "namespace" -> namespace;
                case "container_name" -> m.group(2).isEmpty() ? "" : containerName;
                case "id" -> cgroup;
                case "image" -> image;
                case "name" -> dockerName;
                default -> m.group(2);
            };
            m.appendReplacement(labels, Matcher.quoteReplacement(m.group(1) + "=\"" + value + "\""));
        }
        m.appendTail(labels);
        return line.substring(0, open) + labels + line.substring(close + 1);
    }

    private static String sandboxId(String podUid) {
        UUID a = UUID.nameUUIDFromBytes(("sandbox-a-" + podUid).getBytes(StandardCharsets.UTF_8));
        UUID b = UUID.nameUUIDFromBytes(("sandbox-b-" + podUid).getBytes(StandardCharsets.UTF_8));
        return (a.toString() + b.toString()).replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** The value of label {@code name} in a series line, or null. */
    private static String label(String line, String name) {
        int open = line.indexOf('{');
        if (open < 0) {
            return null;
        }
        Matcher m = LABEL.matcher(line);
        m.region(open, line.length());
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        return null;
    }
}
